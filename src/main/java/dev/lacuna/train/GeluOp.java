package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Ops;
import dev.lacuna.kernel.internal.Erf;

/**
 * Exact GELU, a = u · Φ(u) with Φ(u) = ½(1 + erf(u/√2)), and its backward. Shapes: n elements
 * (the FFN intermediate [T, I]).
 */
public final class GeluOp {
    private GeluOp() {}

    private static final double INV_SQRT2 = 1 / Math.sqrt(2), INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

    /**
     * a = gelu(u), exactly as {@link Ops#gelu}.
     *
     * @param u [n] pre-activation, kept
     * @param a [n] overwritten
     */
    public static void forward(Parallel par, float[] u, float[] a, int n) {
        System.arraycopy(u, 0, a, 0, n);
        Ops.gelu(par, a, n);
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
            for (int i = s; i < e; i++) {
                double x = u[i];
                double d = 0.5 * (1 + Erf.erf(x * INV_SQRT2)) + x * Math.exp(-0.5 * x * x) * INV_SQRT_2PI;
                du[i] = (float) (da[i] * d);
            }
        });
    }
}
