// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Random;

/** Random packed q/k/v for kernel tests, and comparisons. */
final class Fixtures {
    final int tokens, heads, headDim, stride, start, length;
    final float[] q, k, v;
    final float scale;

    /**
     * A packed buffer with {@code pad} rows before and after the sequence, so a kernel reading or
     * writing outside [start, start + length) is caught.
     */
    Fixtures(long seed, int length, int heads, int headDim, float spread) {
        this.heads = heads;
        this.headDim = headDim;
        this.stride = heads * headDim;
        this.start = 3;
        this.length = length;
        this.tokens = length + 6;
        Random r = new Random(seed);
        q = new float[tokens * stride];
        k = new float[tokens * stride];
        v = new float[tokens * stride];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextGaussian() * spread;
            k[i] = (float) r.nextGaussian() * spread;
            v[i] = (float) r.nextGaussian();
        }
        scale = (float) (1 / Math.sqrt(headDim));
    }

    /** Output of {@code kern} on head h, NaN outside what it should write. */
    float[] run(AttentionKernel kern, int head) {
        float[] out = new float[tokens * stride];
        java.util.Arrays.fill(out, Float.NaN);
        float[] scratch = new float[Math.max(1, kern.scratchSize(length, headDim))];
        kern.attend(q, k, v, out, stride, start, length, head * headDim, headDim, scale, scratch);
        return out;
    }

    /** lse rows of {@code kern} on head h. */
    float[] lse(AttentionKernel kern, int head) {
        float[] out = new float[tokens * stride];
        float[] lse = new float[length];
        float[] scratch = new float[Math.max(1, kern.scratchSize(length, headDim))];
        kern.attendRows(q, k, v, out, stride, start, length, head * headDim, headDim, scale, scratch, 0, length, lse);
        return lse;
    }

    /** Max |a - b| over head h's columns of the sequence rows; fails if other cells were touched. */
    double maxDiff(float[] a, float[] b, int head) {
        double m = 0;
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < stride; c++) {
                int i = t * stride + c;
                boolean mine = t >= start && t < start + length && c / headDim == head;
                if (!mine) {
                    if (!Float.isNaN(a[i]) || !Float.isNaN(b[i])) throw new AssertionError("cell (" + t + ", " + c + ") written");
                    continue;
                }
                if (Float.isNaN(a[i]) || Float.isNaN(b[i])) throw new AssertionError("cell (" + t + ", " + c + ") is NaN");
                m = Math.max(m, Math.abs(a[i] - b[i]));
            }
        }
        return m;
    }
}
