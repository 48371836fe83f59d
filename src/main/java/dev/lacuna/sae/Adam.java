package dev.lacuna.sae;

import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One Adam update (Kingma & Ba 2015, Algorithm 1, bias-corrected) over a range of a parameter array:
 * m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; p ← p − lr·(m/c1)/(√(v/c2) + ε) with c = 1 − βᵗ.
 * {@link #scalar} is the reference; {@link #vector} does the same operations lane by lane in the
 * same order (no FMA), so the two agree bit for bit.
 */
final class Adam {
    static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;
    private static final VectorSpecies<Float> S = Species.FLOAT;

    private Adam() {}

    static void scalar(float[] p, float[] m, float[] v, float[] g, int from, int to, float lr, float c1, float c2) {
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = B1 * m[i] + (1 - B1) * gi;
            float vi = B2 * v[i] + (1 - B2) * gi * gi; // ((1 − β2)·g)·g, as the vector path
            m[i] = mi;
            v[i] = vi;
            p[i] -= (mi / c1) * lr / ((float) Math.sqrt(vi / c2) + EPS);
        }
    }

    static void vector(float[] p, float[] m, float[] v, float[] g, int from, int to, float lr, float c1, float c2) {
        int i = from;
        int upper = from + S.loopBound(to - from);
        for (; i < upper; i += S.length()) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(B1).add(gi.mul(1 - B1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(B2).add(gi.mul(1 - B2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector step = mi.div(c1).mul(lr).div(vi.div(c2).lanewise(VectorOperators.SQRT).add(EPS));
            FloatVector.fromArray(S, p, i).sub(step).intoArray(p, i);
        }
        scalar(p, m, v, g, i, to, lr, c1, c2);
    }
}
