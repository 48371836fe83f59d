// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;
import dev.lacuna.kernel.internal.Erf;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.ScalarKernels;
import dev.lacuna.kernel.internal.Species;
import dev.lacuna.kernel.internal.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact GELU, a = u · Φ(u) with Φ(u) = ½(1 + erf(u/√2)), and its backward. Shapes: n elements
 * (the FFN intermediate [T, I]).
 */
public final class GeluOp {
    private GeluOp() {}

    private static final double INV_SQRT2 = 1 / Math.sqrt(2), INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /** The Vector API backward where the engine's kernels are vector ones (not with {@code -Dlacuna.scalar=true}). */
    private static final boolean VECTOR = KernelProvider.choose(Boolean.FALSE, () -> KernelProvider.vector() != null ? Boolean.TRUE : null);

    /**
     * a = gelu(u), exactly as {@link Ops#gelu}.
     *
     * @param u [n] pre-activation, kept
     * @param a [n] overwritten
     */
    public static void forward(Parallel par, float[] u, float[] a, int n) {
        // One pass u → a with the engine's own per-value GELU (not a copy, then Ops.gelu in place).
        par.forRange(n, 1 << 14, (s, e) -> {
            if (VECTOR) Vector.forward(u, a, s, e);
            else for (int i = s; i < e; i++) a[i] = ScalarKernels.gelu(u[i]);
        });
    }

    /**
     * du = da · (Φ(u) + u·φ(u)), φ the standard normal density.
     *
     * @param u  [n] the forward's input
     * @param da [n] gradient on a
     * @param du [n] overwritten; may be da itself
     */
    public static void backward(Parallel par, float[] u, float[] da, float[] du, int n) {
        par.forRange(n, 1 << 14, (s, e) -> {
            if (VECTOR) Vector.backward(u, da, du, s, e);
            else scalar(u, da, du, s, e);
        });
    }

    /** The reference backward of [from, to), in double. */
    static void scalar(float[] u, float[] da, float[] du, int from, int to) {
        for (int i = from; i < to; i++) {
            double x = u[i];
            double d = 0.5 * (1 + Erf.erf(x * INV_SQRT2)) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
            du[i] = (float) (da[i] * d);
        }
    }

    /** The backward in float lanes: Φ from the same erfc fit as the forward's vector GELU, e^x from {@link VectorKernels#exp}. */
    static final class Vector {
        private static final VectorSpecies<Float> S = Species.FLOAT;

        private Vector() {}

        /** a = gelu(u) on [from, to) by {@link VectorKernels#gelu}, lane for lane what {@link Ops#gelu} computes. */
        static void forward(float[] u, float[] a, int from, int to) {
            int i = from;
            for (; i + S.length() <= to; i += S.length()) VectorKernels.gelu(FloatVector.fromArray(S, u, i)).intoArray(a, i);
            if (i < to) {
                VectorMask<Float> m = S.indexInRange(i, to);
                VectorKernels.gelu(FloatVector.fromArray(S, u, i, m)).intoArray(a, i, m);
            }
        }

        static void backward(float[] u, float[] da, float[] du, int from, int to) {
            int i = from;
            for (; i + S.length() <= to; i += S.length()) {
                FloatVector x = FloatVector.fromArray(S, u, i);
                derivative(x).mul(FloatVector.fromArray(S, da, i)).intoArray(du, i);
            }
            if (i < to) {
                VectorMask<Float> m = S.indexInRange(i, to);
                FloatVector x = FloatVector.fromArray(S, u, i, m);
                derivative(x).mul(FloatVector.fromArray(S, da, i, m)).intoArray(du, i, m);
            }
        }

        /** Φ(x) + x·φ(x) per lane, Φ(x) = 1 − ½erfc(x/√2) for x ≥ 0 and ½erfc(|x|/√2) below. */
        static FloatVector derivative(FloatVector x) {
            FloatVector z = x.abs().mul((float) INV_SQRT2);
            FloatVector t = FloatVector.broadcast(S, 1f).div(z.fma(0.5f, 1f));
            FloatVector t2 = t.mul(t), t4 = t2.mul(t2);
            FloatVector a01 = t.fma(0.37409196f, 1.00002368f);
            FloatVector a23 = t.fma(-0.18628806f, 0.09678418f);
            FloatVector a45 = t.fma(-1.13520398f, 0.27886807f);
            FloatVector a67 = t.fma(-0.82215223f, 1.48851587f);
            FloatVector b03 = a23.fma(t2, a01);
            FloatVector b47 = a67.fma(t2, a45);
            FloatVector poly = t4.fma(FloatVector.broadcast(S, 0.17087277f), b47).fma(t4, b03);
            FloatVector zz = z.mul(z);                                             // x² / 2
            FloatVector arg = poly.fma(t, zz.neg().sub(1.26551223f));              // −z² − 1.2655 + t·P(t)
            FloatVector h = t.mul(0.5f).mul(VectorKernels.exp(arg));               // ½ erfc(|x| / √2)
            FloatVector phi = FloatVector.broadcast(S, 1f).sub(h).blend(h, x.lt(0f));
            FloatVector density = VectorKernels.exp(zz.neg()).mul((float) INV_SQRT_2PI);
            return x.fma(density, phi);
        }
    }
}
