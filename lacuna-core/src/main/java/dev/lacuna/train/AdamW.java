// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One AdamW update (Loshchilov & Hutter 2019, Algorithm 2: Adam with decoupled weight decay;
 * Kingma & Ba 2015, Algorithm 1, for the bias-corrected moments) over a range of a parameter array:
 * <pre>
 *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   p ← p·(1 − lr·λ)                               (skipped when λ = 0: plain Adam, the same bits)
 *   p ← p − lr·(m/c1)/(√(v/c2) + ε)                 with c = 1 − βᵗ at step t (from 1)
 * </pre>
 * as PyTorch's {@code torch.optim.AdamW}. {@link #scalar} is the reference; {@link #vector} does the
 * same operations lane by lane in the same order (no FMA), so the two agree bit for bit.
 */
public final class AdamW {
    public static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;
    private static final VectorSpecies<Float> S = Species.FLOAT;

    private AdamW() {}

    /** The bias correction c = 1 − βᵗ of step t (from 1), as a float. */
    public static float correction(float beta, long t) {
        return (float) (1 - Math.pow(beta, t));
    }

    /**
     * A whole array's step t (from 1), split over the team (element-wise: the same bits for any team size).
     *
     * @param p     [n] parameters, updated
     * @param m     [n] first moments, updated
     * @param v     [n] second moments, updated
     * @param g     [n] gradients, read
     * @param decay λ, the decoupled weight decay (0 for none)
     */
    public static void step(Parallel par, float[] p, float[] m, float[] v, float[] g, float lr, float decay, long t) {
        if (t < 1) throw new IllegalArgumentException("AdamW: step " + t + " must be >= 1");
        int n = p.length;
        if (m.length != n || v.length != n || g.length != n) {
            throw new IllegalArgumentException("AdamW: p/m/v/g have " + n + "/" + m.length + "/" + v.length + "/" + g.length + " values");
        }
        float c1 = correction(B1, t), c2 = correction(B2, t);
        par.forRange(n, 1 << 14, (s, e) -> vector(p, m, v, g, s, e, lr, decay, c1, c2));
    }

    /** The reference update of p[from, to); c1, c2 from {@link #correction}. */
    public static void scalar(float[] p, float[] m, float[] v, float[] g, int from, int to, float lr, float decay, float c1, float c2) {
        float keep = 1 - lr * decay;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = B1 * m[i] + (1 - B1) * gi;
            float vi = B2 * v[i] + (1 - B2) * gi * gi; // ((1 − β2)·g)·g, as the vector path
            m[i] = mi;
            v[i] = vi;
            if (decay != 0f) p[i] *= keep;
            p[i] -= (mi / c1) * lr / ((float) Math.sqrt(vi / c2) + EPS);
        }
    }

    /** {@link #scalar} with the Vector API, the same bits. */
    public static void vector(float[] p, float[] m, float[] v, float[] g, int from, int to, float lr, float decay, float c1, float c2) {
        float keep = 1 - lr * decay;
        int i = from;
        int upper = from + S.loopBound(to - from);
        for (; i < upper; i += S.length()) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(B1).add(gi.mul(1 - B1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(B2).add(gi.mul(1 - B2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.div(c1).mul(lr).div(vi.div(c2).lanewise(VectorOperators.SQRT).add(EPS));
            FloatVector pi = FloatVector.fromArray(S, p, i);
            if (decay != 0f) pi = pi.mul(keep);
            pi.sub(step).intoArray(p, i);
        }
        scalar(p, m, v, g, i, to, lr, decay, c1, c2);
    }
}
