package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API GEMM: y[M, N] = x[M, K] · Wᵀ + bias (then optionally GELU) over W packed by
 * {@link PanelLayout} in panels of NR = 4·L columns (L = lanes of the preferred species: 16 floats,
 * NR = 64, with AVX-512).
 *
 * <p>Register-blocked micro-kernel: MR = 6 rows of x times one panel, 6x4 vector accumulators (24 of
 * the 32 zmm registers), 4 panel vectors and one broadcast per step; each step p loads NR contiguous
 * floats of the panel and does 24 FMAs. K is not split (K ≤ a few thousand here; the panel, K·NR
 * floats, stays in L2): each output element is one FMA chain over p = 0..K-1, then + bias, then the
 * epilogue, so results do not depend on the thread split. Tails: the last M mod 6 rows use the
 * r-row kernels below (same chain per element); columns past N are zero padded in the panel and
 * masked on store.
 *
 * <p>Loop nest: {@link GemmTiles} hands each thread tiles of (row block of about MC rows, sized so the
 * x block [MC, K] stays in L2) x (one panel), row-block-major; per tile, 6 rows at a time (x rows in
 * L1) → micro-kernel → GELU on the fresh 6 x NR outputs if asked. Tried and measured: 4x4, 5x4, 8x3,
 * 12x2, 14x2, 4x6 and 3x8 micro-kernels (all within noise of 6x4 at 104-114 GFLOP/s on one Zen 4
 * core; 7x4 was slower), 64-byte alignment of the panels (no difference), MC from 48 to 672 rows
 * (no difference).
 *
 * <p>The micro-kernels are written out by hand per row count (generated from one pattern; keep them
 * in step): the accumulators must be locals for C2 to keep them in registers.
 */
final class VectorGemm {
    private VectorGemm() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Vectors per panel. */
    static final int NV = 4;
    /** Panel width. */
    static final int NR = NV * L;
    /** Rows per micro-kernel. */
    static final int MR = 6;

    /** Rows per tile: the x block [MC, K] is sized to stay in L2 with the panel. */
    static int rowBlock(int k) {
        int rows = (64 * 1024) / Math.max(1, k); // x block of ~256 KiB
        return Math.max(MR, Math.min(256, rows / MR * MR));
    }

    static void gemm(Parallel par, float[] x, int m, int k, float[] w, int n, float[] bias, float[] y, boolean gelu) {
        GemmTiles.run(par, m, MR, PanelLayout.panels(n, NR), rowBlock(k), (r0, r1, q) -> tile(x, k, w, n, bias, y, gelu, r0, r1, q));
    }

    /** Rows [r0, r1) x panel q. */
    static void tile(float[] x, int k, float[] w, int n, float[] bias, float[] y, boolean gelu, int r0, int r1, int q) {
        int j = q * NR;
        int wo = q * k * NR;
        for (int i = r0; i < r1; i += MR) {
            int rows = Math.min(MR, r1 - i);
            switch (rows) {
                case 6 -> k6(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                case 5 -> k5(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                case 4 -> k4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                case 3 -> k3(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                case 2 -> k2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                default -> k1(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
            }
            if (gelu) {
                // Epilogue on the rows just stored (still in L1), kept out of the micro-kernels so
                // they stay small enough for C2 to keep every vector in a register.
                int cols = Math.min(NR, n - j);
                for (int r = i; r < i + rows; r++) VectorKernels.geluRange(y, r * n + j, r * n + j + cols);
            }
        }
    }

    /** Stores accumulator c (at y[yo], column col) plus bias; masks columns >= n. */
    private static void put(FloatVector c, float[] y, int yo, int col, int n, float[] bias) {
        if (col + L <= n) {
            if (bias != null) c = c.add(FloatVector.fromArray(S, bias, col));
            c.intoArray(y, yo);
        } else if (col < n) {
            VectorMask<Float> mk = S.indexInRange(col, n);
            if (bias != null) c = c.add(FloatVector.fromArray(S, bias, col, mk));
            c.intoArray(y, yo, mk);
        }
    }

    /**
     * 6 rows x one panel.
     *
     * @param x  [M, K]; rows start at xo
     * @param w  packed panel starting at wo: [K][NR]
     * @param y  [M, N]; tile starts at yo = row·N + j
     * @param j  first column of the panel
     */
    private static void k6(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {
        int x0 = xo;
        int x1 = xo + 1 * k;
        int x2 = xo + 2 * k;
        int x3 = xo + 3 * k;
        int x4 = xo + 4 * k;
        int x5 = xo + 5 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S), c43 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S), c52 = FloatVector.zero(S), c53 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int wp = wo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, w, wp);
            FloatVector b1 = FloatVector.fromArray(S, w, wp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, w, wp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wp + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, x[x2 + p]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, x[x3 + p]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
            a = FloatVector.broadcast(S, x[x4 + p]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42); c43 = a.fma(b3, c43);
            a = FloatVector.broadcast(S, x[x5 + p]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51); c52 = a.fma(b2, c52); c53 = a.fma(b3, c53);
        }
        put(c00, y, yo, j, n, bias);
        put(c01, y, yo + 1 * L, j + 1 * L, n, bias);
        put(c02, y, yo + 2 * L, j + 2 * L, n, bias);
        put(c03, y, yo + 3 * L, j + 3 * L, n, bias);
        put(c10, y, yo + 1 * n, j, n, bias);
        put(c11, y, yo + 1 * n + 1 * L, j + 1 * L, n, bias);
        put(c12, y, yo + 1 * n + 2 * L, j + 2 * L, n, bias);
        put(c13, y, yo + 1 * n + 3 * L, j + 3 * L, n, bias);
        put(c20, y, yo + 2 * n, j, n, bias);
        put(c21, y, yo + 2 * n + 1 * L, j + 1 * L, n, bias);
        put(c22, y, yo + 2 * n + 2 * L, j + 2 * L, n, bias);
        put(c23, y, yo + 2 * n + 3 * L, j + 3 * L, n, bias);
        put(c30, y, yo + 3 * n, j, n, bias);
        put(c31, y, yo + 3 * n + 1 * L, j + 1 * L, n, bias);
        put(c32, y, yo + 3 * n + 2 * L, j + 2 * L, n, bias);
        put(c33, y, yo + 3 * n + 3 * L, j + 3 * L, n, bias);
        put(c40, y, yo + 4 * n, j, n, bias);
        put(c41, y, yo + 4 * n + 1 * L, j + 1 * L, n, bias);
        put(c42, y, yo + 4 * n + 2 * L, j + 2 * L, n, bias);
        put(c43, y, yo + 4 * n + 3 * L, j + 3 * L, n, bias);
        put(c50, y, yo + 5 * n, j, n, bias);
        put(c51, y, yo + 5 * n + 1 * L, j + 1 * L, n, bias);
        put(c52, y, yo + 5 * n + 2 * L, j + 2 * L, n, bias);
        put(c53, y, yo + 5 * n + 3 * L, j + 3 * L, n, bias);
    }

    /**
     * 5 rows x one panel.
     *
     * @param x  [M, K]; rows start at xo
     * @param w  packed panel starting at wo: [K][NR]
     * @param y  [M, N]; tile starts at yo = row·N + j
     * @param j  first column of the panel
     */
    private static void k5(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {
        int x0 = xo;
        int x1 = xo + 1 * k;
        int x2 = xo + 2 * k;
        int x3 = xo + 3 * k;
        int x4 = xo + 4 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c42 = FloatVector.zero(S), c43 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int wp = wo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, w, wp);
            FloatVector b1 = FloatVector.fromArray(S, w, wp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, w, wp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wp + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, x[x2 + p]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, x[x3 + p]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
            a = FloatVector.broadcast(S, x[x4 + p]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41); c42 = a.fma(b2, c42); c43 = a.fma(b3, c43);
        }
        put(c00, y, yo, j, n, bias);
        put(c01, y, yo + 1 * L, j + 1 * L, n, bias);
        put(c02, y, yo + 2 * L, j + 2 * L, n, bias);
        put(c03, y, yo + 3 * L, j + 3 * L, n, bias);
        put(c10, y, yo + 1 * n, j, n, bias);
        put(c11, y, yo + 1 * n + 1 * L, j + 1 * L, n, bias);
        put(c12, y, yo + 1 * n + 2 * L, j + 2 * L, n, bias);
        put(c13, y, yo + 1 * n + 3 * L, j + 3 * L, n, bias);
        put(c20, y, yo + 2 * n, j, n, bias);
        put(c21, y, yo + 2 * n + 1 * L, j + 1 * L, n, bias);
        put(c22, y, yo + 2 * n + 2 * L, j + 2 * L, n, bias);
        put(c23, y, yo + 2 * n + 3 * L, j + 3 * L, n, bias);
        put(c30, y, yo + 3 * n, j, n, bias);
        put(c31, y, yo + 3 * n + 1 * L, j + 1 * L, n, bias);
        put(c32, y, yo + 3 * n + 2 * L, j + 2 * L, n, bias);
        put(c33, y, yo + 3 * n + 3 * L, j + 3 * L, n, bias);
        put(c40, y, yo + 4 * n, j, n, bias);
        put(c41, y, yo + 4 * n + 1 * L, j + 1 * L, n, bias);
        put(c42, y, yo + 4 * n + 2 * L, j + 2 * L, n, bias);
        put(c43, y, yo + 4 * n + 3 * L, j + 3 * L, n, bias);
    }

    /**
     * 4 rows x one panel.
     *
     * @param x  [M, K]; rows start at xo
     * @param w  packed panel starting at wo: [K][NR]
     * @param y  [M, N]; tile starts at yo = row·N + j
     * @param j  first column of the panel
     */
    private static void k4(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {
        int x0 = xo;
        int x1 = xo + 1 * k;
        int x2 = xo + 2 * k;
        int x3 = xo + 3 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int wp = wo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, w, wp);
            FloatVector b1 = FloatVector.fromArray(S, w, wp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, w, wp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wp + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, x[x2 + p]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
            a = FloatVector.broadcast(S, x[x3 + p]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31); c32 = a.fma(b2, c32); c33 = a.fma(b3, c33);
        }
        put(c00, y, yo, j, n, bias);
        put(c01, y, yo + 1 * L, j + 1 * L, n, bias);
        put(c02, y, yo + 2 * L, j + 2 * L, n, bias);
        put(c03, y, yo + 3 * L, j + 3 * L, n, bias);
        put(c10, y, yo + 1 * n, j, n, bias);
        put(c11, y, yo + 1 * n + 1 * L, j + 1 * L, n, bias);
        put(c12, y, yo + 1 * n + 2 * L, j + 2 * L, n, bias);
        put(c13, y, yo + 1 * n + 3 * L, j + 3 * L, n, bias);
        put(c20, y, yo + 2 * n, j, n, bias);
        put(c21, y, yo + 2 * n + 1 * L, j + 1 * L, n, bias);
        put(c22, y, yo + 2 * n + 2 * L, j + 2 * L, n, bias);
        put(c23, y, yo + 2 * n + 3 * L, j + 3 * L, n, bias);
        put(c30, y, yo + 3 * n, j, n, bias);
        put(c31, y, yo + 3 * n + 1 * L, j + 1 * L, n, bias);
        put(c32, y, yo + 3 * n + 2 * L, j + 2 * L, n, bias);
        put(c33, y, yo + 3 * n + 3 * L, j + 3 * L, n, bias);
    }

    /**
     * 3 rows x one panel.
     *
     * @param x  [M, K]; rows start at xo
     * @param w  packed panel starting at wo: [K][NR]
     * @param y  [M, N]; tile starts at yo = row·N + j
     * @param j  first column of the panel
     */
    private static void k3(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {
        int x0 = xo;
        int x1 = xo + 1 * k;
        int x2 = xo + 2 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int wp = wo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, w, wp);
            FloatVector b1 = FloatVector.fromArray(S, w, wp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, w, wp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wp + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
            a = FloatVector.broadcast(S, x[x2 + p]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21); c22 = a.fma(b2, c22); c23 = a.fma(b3, c23);
        }
        put(c00, y, yo, j, n, bias);
        put(c01, y, yo + 1 * L, j + 1 * L, n, bias);
        put(c02, y, yo + 2 * L, j + 2 * L, n, bias);
        put(c03, y, yo + 3 * L, j + 3 * L, n, bias);
        put(c10, y, yo + 1 * n, j, n, bias);
        put(c11, y, yo + 1 * n + 1 * L, j + 1 * L, n, bias);
        put(c12, y, yo + 1 * n + 2 * L, j + 2 * L, n, bias);
        put(c13, y, yo + 1 * n + 3 * L, j + 3 * L, n, bias);
        put(c20, y, yo + 2 * n, j, n, bias);
        put(c21, y, yo + 2 * n + 1 * L, j + 1 * L, n, bias);
        put(c22, y, yo + 2 * n + 2 * L, j + 2 * L, n, bias);
        put(c23, y, yo + 2 * n + 3 * L, j + 3 * L, n, bias);
    }

    /**
     * 2 rows x one panel.
     *
     * @param x  [M, K]; rows start at xo
     * @param w  packed panel starting at wo: [K][NR]
     * @param y  [M, N]; tile starts at yo = row·N + j
     * @param j  first column of the panel
     */
    private static void k2(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {
        int x0 = xo;
        int x1 = xo + 1 * k;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int wp = wo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, w, wp);
            FloatVector b1 = FloatVector.fromArray(S, w, wp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, w, wp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wp + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11); c12 = a.fma(b2, c12); c13 = a.fma(b3, c13);
        }
        put(c00, y, yo, j, n, bias);
        put(c01, y, yo + 1 * L, j + 1 * L, n, bias);
        put(c02, y, yo + 2 * L, j + 2 * L, n, bias);
        put(c03, y, yo + 3 * L, j + 3 * L, n, bias);
        put(c10, y, yo + 1 * n, j, n, bias);
        put(c11, y, yo + 1 * n + 1 * L, j + 1 * L, n, bias);
        put(c12, y, yo + 1 * n + 2 * L, j + 2 * L, n, bias);
        put(c13, y, yo + 1 * n + 3 * L, j + 3 * L, n, bias);
    }

    /**
     * 1 rows x one panel.
     *
     * @param x  [M, K]; rows start at xo
     * @param w  packed panel starting at wo: [K][NR]
     * @param y  [M, N]; tile starts at yo = row·N + j
     * @param j  first column of the panel
     */
    private static void k1(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {
        int x0 = xo;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int wp = wo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, w, wp);
            FloatVector b1 = FloatVector.fromArray(S, w, wp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, w, wp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, w, wp + 3 * L);
            FloatVector a;
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01); c02 = a.fma(b2, c02); c03 = a.fma(b3, c03);
        }
        put(c00, y, yo, j, n, bias);
        put(c01, y, yo + 1 * L, j + 1 * L, n, bias);
        put(c02, y, yo + 2 * L, j + 2 * L, n, bias);
        put(c03, y, yo + 3 * L, j + 3 * L, n, bias);
    }
}
