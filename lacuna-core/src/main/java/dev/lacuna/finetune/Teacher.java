// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;

/**
 * The dense model as a distillation teacher: its inference forward on a batch, keeping the pooled,
 * normalised embeddings and, when asked, every layer's output (resid_post).
 * Shapes: T packed tokens, C hidden, B sequences.
 */
final class Teacher {
    /** A batch's targets: embeddings [B][C], layer outputs [layers] of [T, C] or null. */
    record Targets(float[][] embeddings, float[][] layerOutputs) {}

    private final BertModel model;
    private final Pooling pooling;

    Teacher(BertModel model, Pooling pooling) {
        this.model = model;
        this.pooling = pooling;
    }

    Targets run(Parallel par, Batch batch, boolean layers) {
        int c = model.config().hiddenSize(), t = batch.tokens();
        float[][] outs = layers ? new float[model.layerCount()][] : null;
        Hooks hooks = Hooks.NONE;
        if (layers) {
            hooks = new Hooks();
            for (int l = 0; l < model.layerCount() - 1; l++) {       // the last layer's output is the returned hidden state
                int layer = l;
                hooks.add("layer." + l + ".resid_post", (point, act, tokens, width, starts) ->
                        outs[layer] = java.util.Arrays.copyOf(act, tokens * width));
            }
        }
        float[] hidden = model.forward(par, batch, hooks);
        float[][] emb = pooling.pool(hidden, c, batch.seqStarts(), true);
        if (layers) outs[outs.length - 1] = java.util.Arrays.copyOf(hidden, t * c);
        return new Targets(emb, outs);
    }
}
