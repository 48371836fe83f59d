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

        Layer(int t, int c, int i) {
            x = new float[t * c];
            q = new float[t * c];
            k = new float[t * c];
            v = new float[t * c];
            z = new float[t * c];
            h1 = new float[t * c];
            x1 = new float[t * c];
            u = new float[t * i];
            a = new float[t * i];
            h2 = new float[t * c];
        }
    }

    final Batch batch;
    final Pooling pooling;
    final float[] embSum;     // [T, C] word + position + type, before LayerNorm
    final Layer[] layers;
    final float[] hidden;     // [T, C] last hidden state
    float[][] embeddings;     // [B][C] pooled, L2-normalised

    Tape(Batch batch, Pooling pooling, int layerCount, int c, int i) {
        int t = batch.tokens();
        this.batch = batch;
        this.pooling = pooling;
        this.embSum = new float[t * c];
        this.layers = new Layer[layerCount];
        for (int l = 0; l < layerCount; l++) layers[l] = new Layer(t, c, i);
        this.hidden = new float[t * c];
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
