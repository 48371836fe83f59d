package dev.lacuna.sparse;

import java.util.Arrays;

import dev.lacuna.LacunaException;
import dev.lacuna.tensor.FloatTensor;

/**
 * Magnitude pruning of a weight W [N, K] to an exact pattern, for kernel benchmarks and tests (the
 * pruners with calibration live in {@code prune}). Ties between equal magnitudes break towards the
 * lower index, so a mask is a function of the weight alone.
 */
public final class MagnitudeMasks {
    private MagnitudeMasks() {}

    /**
     * A copy of {@code weight} [N, K] with the smallest entries set to zero so that it follows
     * {@code pattern} at {@code sparsity}.
     *
     * <ul>
     *   <li>unstructured: exactly round(sparsity·N·K) entries of least |w| are zeroed;</li>
     *   <li>n:m: in every group of m consecutive columns of a row the n of largest |w| are kept (a
     *       last partial group of r &lt; m columns keeps min(n, r)); {@code sparsity} must be 1 - n/m;</li>
     *   <li>block:RxC: exactly round(sparsity·B) of the B blocks (edge blocks may be partial) of least
     *       L2 norm are zeroed.</li>
     * </ul>
     */
    public static FloatTensor prune(FloatTensor weight, SparsePattern pattern, double sparsity) {
        if (weight.rank() != 2) throw new LacunaException("prune: weight must be [N, K], got " + weight.shapeString());
        if (!(sparsity >= 0 && sparsity <= 1)) throw new LacunaException("prune: sparsity must be in [0, 1], got " + sparsity);
        int n = weight.dim(0), k = weight.dim(1);
        float[] w = weight.data().clone();
        switch (pattern) {
            case SparsePattern.Unstructured u -> unstructured(w, sparsity);
            case SparsePattern.NOfM p -> {
                if (Math.abs(p.sparsity() - sparsity) > 1e-9) {
                    throw new LacunaException("prune: pattern " + p + " fixes sparsity at " + p.sparsity() + ", got " + sparsity);
                }
                nOfM(w, n, k, p.n(), p.m());
            }
            case SparsePattern.Block b -> blocks(w, n, k, b.rows(), b.cols(), sparsity);
        }
        return new FloatTensor(new int[] {n, k}, w);
    }

    private static void unstructured(float[] w, double sparsity) {
        int drop = (int) Math.round(sparsity * w.length);
        long[] keys = new long[w.length];
        for (int i = 0; i < w.length; i++) keys[i] = magnitudeKey(Math.abs(w[i]), i);
        Arrays.sort(keys);
        for (int i = 0; i < drop; i++) w[(int) keys[i]] = 0f;
    }

    private static void nOfM(float[] w, int rows, int cols, int n, int m) {
        int[] order = new int[m];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < cols; g += m) {
                int width = Math.min(m, cols - g);
                int base = r * cols + g;
                // Selection of the n largest |w| by insertion order of magnitude (m is small).
                for (int i = 0; i < width; i++) order[i] = i;
                for (int i = 1; i < width; i++) {
                    int v = order[i], j = i - 1;
                    while (j >= 0 && larger(w, base + v, base + order[j])) {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = v;
                }
                for (int i = n; i < width; i++) w[base + order[i]] = 0f;
            }
        }
    }

    /** |w[a]| > |w[b]|, ties broken towards the lower index. */
    private static boolean larger(float[] w, int a, int b) {
        float x = Math.abs(w[a]), y = Math.abs(w[b]);
        return x > y || (x == y && a < b);
    }

    private static void blocks(float[] w, int rows, int cols, int br, int bc, double sparsity) {
        int nbr = (rows + br - 1) / br, nbc = (cols + bc - 1) / bc;
        int blocks = nbr * nbc;
        int drop = (int) Math.round(sparsity * blocks);
        long[] keys = new long[blocks];
        for (int i = 0; i < nbr; i++) {
            for (int j = 0; j < nbc; j++) {
                double s = 0;
                for (int r = i * br; r < Math.min(rows, (i + 1) * br); r++) {
                    for (int c = j * bc; c < Math.min(cols, (j + 1) * bc); c++) s += (double) w[r * cols + c] * w[r * cols + c];
                }
                keys[i * nbc + j] = magnitudeKey((float) Math.sqrt(s), i * nbc + j);
            }
        }
        Arrays.sort(keys);
        for (int d = 0; d < drop; d++) {
            int b = (int) keys[d];
            int i = b / nbc, j = b % nbc;
            for (int r = i * br; r < Math.min(rows, (i + 1) * br); r++) {
                for (int c = j * bc; c < Math.min(cols, (j + 1) * bc); c++) w[r * cols + c] = 0f;
            }
        }
    }

    /** Sorts by magnitude (non-negative floats order as their bits), then by index. */
    private static long magnitudeKey(float magnitude, int index) {
        return ((long) Float.floatToIntBits(magnitude) << 32) | index;
    }
}
