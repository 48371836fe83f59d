package dev.lacuna.kernel;

/** Element-wise and row-wise kernels of the encoder: LayerNorm, GELU, softmax, residual add. */
public final class Ops {
    private Ops() {}

    /**
     * In-place LayerNorm over each row: x = (x - mean) / sqrt(var + eps) * gamma + beta.
     *
     * @param x     [rows, cols]
     * @param gamma [cols]
     * @param beta  [cols]
     */
    public static void layerNorm(Parallel par, float[] x, int rows, int cols, float[] gamma, float[] beta, float eps) {
        par.forRange(rows, (s, e) -> {
            for (int r = s; r < e; r++) {
                int o = r * cols;
                double mean = 0;
                for (int c = 0; c < cols; c++) mean += x[o + c];
                mean /= cols;
                double var = 0;
                for (int c = 0; c < cols; c++) {
                    double d = x[o + c] - mean;
                    var += d * d;
                }
                var /= cols;
                float inv = (float) (1.0 / Math.sqrt(var + eps));
                for (int c = 0; c < cols; c++) x[o + c] = (float) (x[o + c] - mean) * inv * gamma[c] + beta[c];
            }
        });
    }

    /** In-place exact GELU: x * 0.5 * (1 + erf(x / sqrt(2))), over x[0, n). */
    public static void gelu(Parallel par, float[] x, int n) {
        par.forRange(n, 1024, (s, e) -> {
            for (int i = s; i < e; i++) x[i] = (float) (x[i] * 0.5 * (1 + Erf.erf(x[i] / Math.sqrt(2))));
        });
    }

    /** In-place a[0, n) += b[0, n). */
    public static void addInPlace(Parallel par, float[] a, float[] b, int n) {
        par.forRange(n, 1024, (s, e) -> {
            for (int i = s; i < e; i++) a[i] += b[i];
        });
    }

    /** In-place softmax of x[off, off + n). */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float v = (float) Math.exp(x[off + i] - max);
            x[off + i] = v;
            sum += v;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }

    /** Dot product of a[aOff, aOff + n) and b[bOff, bOff + n). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s = 0;
        for (int i = 0; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    /** y[yOff + i] += alpha * x[xOff + i] for i in [0, n). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }
}
