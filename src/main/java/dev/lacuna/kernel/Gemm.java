package dev.lacuna.kernel;

/**
 * Dense matrix products. Shapes: M tokens, K input features, N output features.
 * Facade: checks shapes once, then dispatches.
 */
public final class Gemm {
    private Gemm() {}

    /** Packs W [n, k] (row-major, out x in) for {@link #matmul}. */
    public static PackedMatrix pack(float[] w, int n, int k) {
        if (w.length != (long) n * k) throw new IllegalArgumentException("pack: W has " + w.length + " values, [" + n + ", " + k + "] needs " + (long) n * k);
        return new PackedMatrix(n, k, w.clone());
    }

    /**
     * y[m, n] = x[m, k] · Wᵀ + bias[n].
     *
     * @param x    [m, k] row-major
     * @param w    packed W [n, k]
     * @param bias [n], or null
     * @param y    [m, n] row-major, overwritten
     */
    public static void matmul(Parallel par, float[] x, int m, PackedMatrix w, float[] bias, float[] y) {
        int n = w.n, k = w.k;
        if (x.length < (long) m * k) throw new IllegalArgumentException("matmul: x has " + x.length + " values, [" + m + ", " + k + "] needs " + (long) m * k);
        if (y.length < (long) m * n) throw new IllegalArgumentException("matmul: y has " + y.length + " values, [" + m + ", " + n + "] needs " + (long) m * n);
        if (bias != null && bias.length != n) throw new IllegalArgumentException("matmul: bias has " + bias.length + " values, expected " + n);
        par.forRange(m, (s, e) -> {
            for (int i = s; i < e; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    for (int p = 0; p < k; p++) acc += x[i * k + p] * w.data[j * k + p];
                    y[i * n + j] = acc + (bias == null ? 0f : bias[j]);
                }
            }
        });
    }
}
