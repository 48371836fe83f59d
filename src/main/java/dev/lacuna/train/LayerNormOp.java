package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;

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
     * With x̂ = (x − mean)·r, r = 1/√(var + eps), g = dy·γ:
     * dx = r·(g − mean(g) − x̂·mean(g·x̂)); dγ += Σ_rows dy·x̂; dβ += Σ_rows dy.
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
        double[] mean = new double[t], rstd = new double[t];   // [T], as the forward computes them
        par.forRange(t, Math.max(1, 4096 / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
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
        });
        // Parameter gradients first (dx may overwrite dy); each column summed by one thread in row order.
        if (dgamma != null || dbeta != null) {
            par.forRange(c, 16, (s, e) -> {
                for (int j = s; j < e; j++) {
                    double sg = 0, sb = 0;
                    for (int r = 0; r < t; r++) {
                        double g = dy[r * c + j];
                        sg += g * (x[r * c + j] - mean[r]) * rstd[r];
                        sb += g;
                    }
                    if (dgamma != null) dgamma[j] += (float) sg;
                    if (dbeta != null) dbeta[j] += (float) sb;
                }
            });
        }
        par.forRange(t, Math.max(1, 4096 / Math.max(1, c)), (s, e) -> {
            for (int r = s; r < e; r++) {
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
        });
    }
}
