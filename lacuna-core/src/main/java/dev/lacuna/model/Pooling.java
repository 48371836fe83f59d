// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model;

import dev.lacuna.LacunaException;

/** How token states become one sentence vector. */
public enum Pooling {
    /** Average of the sequence's token states (sentence-transformers' mean pooling). */
    MEAN,
    /** The state of the first token ([CLS]). */
    CLS;

    public static Pooling parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "mean" -> MEAN;
            case "cls" -> CLS;
            default -> throw new LacunaException("unknown pooling '" + s + "' (mean, cls)");
        };
    }

    /**
     * Pools packed hidden states into one L2-normalised vector per sequence.
     *
     * @param hidden    [tokens, C]
     * @param seqStarts [B + 1] row offsets
     * @return [B][C]
     */
    public float[][] pool(float[] hidden, int width, int[] seqStarts, boolean normalize) {
        int b = seqStarts.length - 1;
        float[][] out = new float[b][width];
        for (int s = 0; s < b; s++) {
            int start = seqStarts[s], len = seqStarts[s + 1] - start;
            float[] v = out[s];
            if (this == CLS) {
                System.arraycopy(hidden, start * width, v, 0, width);
            } else {
                double[] acc = new double[width];
                for (int t = 0; t < len; t++) {
                    int o = (start + t) * width;
                    for (int c = 0; c < width; c++) acc[c] += hidden[o + c];
                }
                for (int c = 0; c < width; c++) v[c] = (float) (acc[c] / Math.max(1, len));
            }
            if (normalize) l2Normalize(v);
        }
        return out;
    }

    /** Scales v to unit length (as torch.nn.functional.normalize, eps 1e-12). */
    public static void l2Normalize(float[] v) {
        double ss = 0;
        for (float x : v) ss += (double) x * x;
        double n = Math.max(Math.sqrt(ss), 1e-12);
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / n);
    }
}
