// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.LacunaException;
import dev.lacuna.model.Batch;

/**
 * BERT's embedding sum x = word[id] + position[index in sequence] + type[0], and its backward
 * (a scatter-add into the rows the batch used). Shapes: T packed tokens, C hidden, V vocabulary,
 * P positions.
 */
public final class EmbeddingOp {
    private EmbeddingOp() {}

    /**
     * @param word [V, C]
     * @param pos  [P, C]
     * @param type [types, C]; row 0 is added to every token
     * @param x    [T, C] overwritten
     */
    public static void forward(Batch batch, float[] word, float[] pos, float[] type, int c, float[] x) {
        int[] ids = batch.ids();
        int vocab = word.length / c;
        for (int s = 0; s < batch.sequences(); s++) {
            int start = batch.seqStarts()[s], len = batch.length(s);
            if (len * c > pos.length) throw new LacunaException("sequence of " + len + " tokens exceeds the model's " + pos.length / c + " positions");
            for (int i = 0; i < len; i++) {
                int id = ids[start + i];
                if (id < 0 || id >= vocab) throw new LacunaException("token id " + id + " outside vocabulary of " + vocab);
                int o = (start + i) * c, wo = id * c, po = i * c;
                for (int j = 0; j < c; j++) x[o + j] = word[wo + j] + pos[po + j] + type[j];
            }
        }
    }

    /**
     * Adds dx's rows into the rows they came from, in token order (one thread: T·C additions).
     *
     * @param dx    [T, C] gradient on x
     * @param dWord [V, C] added to, or null
     * @param dPos  [P, C] added to, or null
     * @param dType [types, C] row 0 added to, or null
     */
    public static void backward(Batch batch, float[] dx, int c, float[] dWord, float[] dPos, float[] dType) {
        int[] ids = batch.ids();
        for (int s = 0; s < batch.sequences(); s++) {
            int start = batch.seqStarts()[s], len = batch.length(s);
            for (int i = 0; i < len; i++) {
                int o = (start + i) * c, wo = ids[start + i] * c, po = i * c;
                for (int j = 0; j < c; j++) {
                    float g = dx[o + j];
                    if (dWord != null) dWord[wo + j] += g;
                    if (dPos != null) dPos[po + j] += g;
                    if (dType != null) dType[j] += g;
                }
            }
        }
    }
}
