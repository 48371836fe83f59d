// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;

/**
 * The activations one training forward saves for its backward, and its results.
 * Shapes: T packed tokens, C hidden, I intermediate, B sequences.
 */
public final class Tape {
    /** What one encoder layer saves. */
    static final class Layer {
        final float[] x;    // [T, C] layer input (resid_pre)
        final float[] q;    // [T, C]
        final float[] k;    // [T, C]
        final float[] v;    // [T, C]
        final float[] z;    // [T, C] attention output before its projection
        final float[] h1;   // [T, C] x + attention projection, before LayerNorm
        final float[] x1;   // [T, C] LayerNorm(h1) (resid_mid)
        final float[] u;    // [T, I] FFN pre-activation
        final float[] a;    // [T, I] gelu(u)
        final float[] h2;   // [T, C] x1 + FFN output, before LayerNorm
        final float[] probs; // [Σ_s H·L_s²] attention probabilities per (sequence, head)

        /**
         * Arrays of {@code old} where large enough, else fresh; x (the previous layer's output,
         * {@link #layerOutput}) only when exactly [T, C].
         */
        Layer(int t, int c, int i, int probsLength, Layer old) {
            x = old != null && old.x.length == t * c ? old.x : new float[t * c];
            q = reuse(old == null ? null : old.q, t * c);
            k = reuse(old == null ? null : old.k, t * c);
            v = reuse(old == null ? null : old.v, t * c);
            z = reuse(old == null ? null : old.z, t * c);
            h1 = reuse(old == null ? null : old.h1, t * c);
            x1 = reuse(old == null ? null : old.x1, t * c);
            u = reuse(old == null ? null : old.u, t * i);
            a = reuse(old == null ? null : old.a, t * i);
            h2 = reuse(old == null ? null : old.h2, t * c);
            probs = reuse(old == null ? null : old.probs, probsLength);
        }
    }

    /** {@code old} when it holds at least n floats, else a fresh array. */
    private static float[] reuse(float[] old, int n) {
        return old != null && old.length >= n ? old : new float[n];
    }

    final Batch batch;
    final Pooling pooling;
    final float[] embSum;     // [T, C] word + position + type, before LayerNorm
    final Layer[] layers;
    final float[] hidden;     // [T, C] last hidden state
    float[][] embeddings;     // [B][C] pooled, L2-normalised

    /**
     * @param old a tape no longer needed whose arrays this one takes over where large enough (those
     *            {@link #hidden} and {@link #layerOutput} hand out only when exactly [T, C]), or null
     */
    Tape(Batch batch, Pooling pooling, int layerCount, int c, int i, int heads, Tape old) {
        int t = batch.tokens();
        if (old != null && old.layers.length != layerCount) old = null;
        this.batch = batch;
        this.pooling = pooling;
        this.embSum = reuse(old == null ? null : old.embSum, t * c);
        this.layers = new Layer[layerCount];
        int probs = AttentionOp.probsLength(batch.seqStarts(), heads);
        for (int l = 0; l < layerCount; l++) layers[l] = new Layer(t, c, i, probs, old == null ? null : old.layers[l]);
        this.hidden = old != null && old.hidden.length == t * c ? old.hidden : new float[t * c];
    }

    public Batch batch() {
        return batch;
    }

    /** The last hidden state [T, C] in the batch's packed order. */
    public float[] hidden() {
        return hidden;
    }

    /** Layer {@code l}'s output [T, C] (resid_post; the last layer's is {@link #hidden()}). */
    public float[] layerOutput(int l) {
        return l == layers.length - 1 ? hidden : layers[l + 1].x;
    }

    /** The pooled, L2-normalised embeddings [B][C]. */
    public float[][] embeddings() {
        return embeddings;
    }
}
