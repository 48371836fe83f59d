// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;
import dev.lacuna.kernel.internal.Species;
import dev.lacuna.kernel.internal.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * LayerNorm over each row, y = (x − mean) / √(var + eps) · γ + β, and its backward.
 * Shapes: T rows (tokens), C columns (hidden).
 */
public final class LayerNormOp {
    private LayerNormOp() {}

    /**
     * x = LayerNorm(x) in place, exactly as {@link Ops#layerNorm}, saving the input.
     *
     * @param x     [T, C] overwritten
     * @param saved [T, C] receives x before normalisation
     * @param gamma [C]
     * @param beta  [C]
     */
    public static void forward(Parallel par, float[] x, int t, int c, float[] gamma, float[] beta, float eps, float[] saved) {
        System.arraycopy(x, 0, saved, 0, t * c);
        Ops.layerNorm(par, x, t, c, gamma, beta, eps);
    }

    /**
     * y = LayerNorm(h), h kept (the saved input): the same values as {@link #forward}.
     *
     * @param h [T, C] read
     * @param y [T, C] overwritten
     */
    public static void normalize(Parallel par, float[] h, int t, int c, float[] gamma, float[] beta, float eps, float[] y) {
        System.arraycopy(h, 0, y, 0, t * c);
        Ops.layerNorm(par, y, t, c, gamma, beta, eps);
    }

    /**
     * With x̂ = (x − mean)·r, r = 1/√(var + eps), g = dy·γ:
     * dx = r·(g − mean(g) − x̂·mean(g·x̂)); dγ += Σ_rows dy·x̂; dβ += Σ_rows dy. In float lanes
     * ({@link #reference} is the double-precision reference): each row's statistics and dx by one
     * thread, each column of dγ, dβ summed by one thread in row order, so the bits do not depend on
     * the team size.
     *
     * @param x      [T, C] the forward's input (saved)
     * @param dy     [T, C] gradient on the output
     * @param gamma  [C]
     * @param dx     [T, C] overwritten; may be dy itself
     * @param dgamma [C] added to, or null
     * @param dbeta  [C] added to, or null
     */
    public static void backward(Parallel par, float[] x, float[] dy, int t, int c, float[] gamma, float eps,
                                float[] dx, float[] dgamma, float[] dbeta) {
        float[] mean = new float[t], rstd = new float[t];   // [T]
        int rows = Math.max(1, 4096 / Math.max(1, c));
        par.forRange(t, rows, (s, e) -> stats(x, c, eps, mean, rstd, s, e));
        // Parameter gradients first (dx may overwrite dy); each column summed by one thread in row order.
        if (dgamma != null || dbeta != null) {
            int lanes = S.length();
            par.forRange((c + lanes - 1) / lanes, 4, (s, e) -> paramGrads(x, dy, t, c, mean, rstd, dgamma, dbeta, s * lanes, Math.min(c, e * lanes)));
        }
        par.forRange(t, rows, (s, e) -> inputGrad(x, dy, c, gamma, mean, rstd, dx, s, e));
    }

    private static final VectorSpecies<Float> S = Species.FLOAT;

    /** mean[r] and rstd[r] = 1/√(var + eps) of rows [from, to) of x [T, C], in float. */
    static void stats(float[] x, int c, float eps, float[] mean, float[] rstd, int from, int to) {
        int upper = S.loopBound(c);
        for (int r = from; r < to; r++) {
            int o = r * c;
            FloatVector acc = FloatVector.zero(S);
            int j = 0;
            for (; j < upper; j += S.length()) acc = acc.add(FloatVector.fromArray(S, x, o + j));
            float m = VectorKernels.sum(acc);
            for (; j < c; j++) m += x[o + j];
            m /= c;
            FloatVector mv = FloatVector.broadcast(S, m);
            acc = FloatVector.zero(S);
            for (j = 0; j < upper; j += S.length()) {
                FloatVector d = FloatVector.fromArray(S, x, o + j).sub(mv);
                acc = d.fma(d, acc);
            }
            float v = VectorKernels.sum(acc);
            for (; j < c; j++) {
                float d = x[o + j] - m;
                v += d * d;
            }
            mean[r] = m;
            rstd[r] = (float) (1.0 / Math.sqrt(v / c + eps));
        }
    }

    /** dγ[j] += Σ_r dy·x̂, dβ[j] += Σ_r dy for columns [j0, j1), rows in order (lanes are columns). */
    static void paramGrads(float[] x, float[] dy, int t, int c, float[] mean, float[] rstd, float[] dgamma, float[] dbeta, int j0, int j1) {
        int w = j1 - j0, upper = S.loopBound(w);
        float[] sg = new float[w], sb = new float[w];
        for (int r = 0; r < t; r++) {
            int o = r * c + j0;
            FloatVector m = FloatVector.broadcast(S, mean[r]), rs = FloatVector.broadcast(S, rstd[r]);
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector g = FloatVector.fromArray(S, dy, o + j);
                FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(m).mul(rs);
                g.fma(xh, FloatVector.fromArray(S, sg, j)).intoArray(sg, j);
                g.add(FloatVector.fromArray(S, sb, j)).intoArray(sb, j);
            }
            for (; j < w; j++) {
                float g = dy[o + j];
                sg[j] = Math.fma(g, (x[o + j] - mean[r]) * rstd[r], sg[j]);
                sb[j] += g;
            }
        }
        for (int j = 0; j < w; j++) {
            if (dgamma != null) dgamma[j0 + j] += sg[j];
            if (dbeta != null) dbeta[j0 + j] += sb[j];
        }
    }

    /** dx = r·(g − mean(g) − x̂·mean(g·x̂)), g = dy·γ, for rows [from, to). */
    static void inputGrad(float[] x, float[] dy, int c, float[] gamma, float[] mean, float[] rstd, float[] dx, int from, int to) {
        int upper = S.loopBound(c);
        for (int r = from; r < to; r++) {
            int o = r * c;
            FloatVector m = FloatVector.broadcast(S, mean[r]), rs = FloatVector.broadcast(S, rstd[r]);
            FloatVector ag = FloatVector.zero(S), agx = FloatVector.zero(S);
            int j = 0;
            for (; j < upper; j += S.length()) {
                FloatVector g = FloatVector.fromArray(S, dy, o + j).mul(FloatVector.fromArray(S, gamma, j));
                FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(m).mul(rs);
                ag = ag.add(g);
                agx = g.fma(xh, agx);
            }
            float sumG = VectorKernels.sum(ag), sumGx = VectorKernels.sum(agx);
            for (; j < c; j++) {
                float g = dy[o + j] * gamma[j];
                sumG += g;
                sumGx += g * ((x[o + j] - mean[r]) * rstd[r]);
            }
            float mg = sumG / c, mgx = sumGx / c;
            FloatVector mgv = FloatVector.broadcast(S, mg), mgxv = FloatVector.broadcast(S, mgx);
            for (j = 0; j < upper; j += S.length()) {
                FloatVector g = FloatVector.fromArray(S, dy, o + j).mul(FloatVector.fromArray(S, gamma, j));
                FloatVector xh = FloatVector.fromArray(S, x, o + j).sub(m).mul(rs);
                g.sub(mgv).sub(xh.mul(mgxv)).mul(rs).intoArray(dx, o + j);
            }
            for (; j < c; j++) {
                float g = dy[o + j] * gamma[j];
                float xh = (x[o + j] - mean[r]) * rstd[r];
                dx[o + j] = rstd[r] * (g - mg - xh * mgx);
            }
        }
    }

    /** The reference backward in double, one thread. */
    static void reference(float[] x, float[] dy, int t, int c, float[] gamma, float eps,
                          float[] dx, float[] dgamma, float[] dbeta) {
        double[] mean = new double[t], rstd = new double[t];
        for (int r = 0; r < t; r++) {
            int o = r * c;
            double m = 0;
            for (int j = 0; j < c; j++) m += x[o + j];
            m /= c;
            double v = 0;
            for (int j = 0; j < c; j++) {
                double d = x[o + j] - m;
                v += d * d;
            }
            v /= c;
            mean[r] = m;
            rstd[r] = 1.0 / Math.sqrt(v + eps);
        }
        for (int j = 0; j < c; j++) {
            double sg = 0, sb = 0;
            for (int r = 0; r < t; r++) {
                double g = dy[r * c + j];
                sg += g * (x[r * c + j] - mean[r]) * rstd[r];
                sb += g;
            }
            if (dgamma != null) dgamma[j] += (float) sg;
            if (dbeta != null) dbeta[j] += (float) sb;
        }
        for (int r = 0; r < t; r++) {
            int o = r * c;
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < c; j++) {
                double g = dy[o + j] * (double) gamma[j];
                sumG += g;
                sumGx += g * (x[o + j] - mean[r]) * rstd[r];
            }
            double mg = sumG / c, mgx = sumGx / c;
            for (int j = 0; j < c; j++) {
                double g = dy[o + j] * (double) gamma[j];
                double xh = (x[o + j] - mean[r]) * rstd[r];
                dx[o + j] = (float) (rstd[r] * (g - mg - xh * mgx));
            }
        }
    }
}
