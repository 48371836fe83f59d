// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static dev.lacuna.kernel.internal.VectorGemmKernels.*;

/**
 * The Vector API GEMM: y[M, N] = x[M, K] · Wᵀ + bias (then optionally GELU) over W packed by
 * {@link PanelLayout} in panels of NR = NV·L columns (L = lanes of {@link Species}: 16 floats with
 * AVX-512; NV = 4 vectors where the CPU has 32 vector registers, 2 where it has 16).
 *
 * <p>Register-blocked micro-kernel: MR rows of x times one panel of NV vectors, MR·NV accumulators,
 * NV panel loads and MR broadcasts per step p. The shape is {@link GemmTile}'s: probed once per CPU
 * among 4-6 rows x 4 vectors (32 vector registers, AVX-512) or x 2 vectors (16, AVX2), cached, or
 * forced with {@code -Dlacuna.gemm.tile=RxV}. On Zen 3 the probe picks 5x2: 6x2 fits 16 ymm on paper,
 * but C2 spills an accumulator every step (65% of peak vs 92% in cache; docs/BENCHMARKS.md).
 * The tile shape does not change results: each output element is the same FMA chain either way. K is not split (K ≤ a few thousand here; the panel, K·NR
 * floats, stays in L2): each output element is one FMA chain over p = 0..K-1, then + bias, then the
 * epilogue, so results do not depend on the thread split. Tails: the last M mod MR rows use the
 * r-row kernels below (same chain per element); columns past N are zero padded in the panel, and that
 * panel is computed into a scratch tile whose real columns are copied out.
 *
 * <p>Loop nest: {@link GemmTiles} hands each thread tiles of (row block of about MC rows, sized so the
 * x block [MC, K] stays in L2) x (one panel), row-block-major; per tile, MR rows at a time (x rows in
 * L1) → micro-kernel (raw sums) → {@link #finish}: bias, and GELU if asked, on the fresh MR x NR outputs. Tried and measured: 4x4, 5x4, 8x3,
 * 12x2, 14x2, 4x6 and 3x8 micro-kernels (all within noise of 6x4 at 104-114 GFLOP/s on one Zen 4
 * core; 7x4 was slower), 64-byte alignment of the panels (no difference), MC from 48 to 672 rows
 * (no difference).
 *
 * <p>The micro-kernels, one per row count, are generated into {@link VectorGemmKernels} from one
 * pattern (the accumulators must be locals for C2 to keep them in registers).
 */
final class VectorGemm {
    private VectorGemm() {}

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();
    /** The register tile, probed once per process (or cached, or forced): see {@link GemmTile}. */
    static final GemmTile TILE = GemmTile.choose();
    /** Vectors per panel. */
    static final int NV = TILE.nv();
    /** Panel width. */
    static final int NR = NV * L;
    /** Rows per micro-kernel. */
    static final int MR = TILE.mr();

    /** Rows per tile: the x block [MC, K] is sized to stay in L2 with the panel. */
    static int rowBlock(int k) {
        int rows = (64 * 1024) / Math.max(1, k); // x block of ~256 KiB
        return Math.max(MR, Math.min(256, rows / MR * MR));
    }

    static void gemm(Parallel par, float[] x, int m, int k, float[] w, int n, float[] bias, float[] y, boolean gelu) {
        GemmTiles.run(par, m, MR, PanelLayout.panels(n, NR), rowBlock(k), (r0, r1, q) -> tile(x, k, w, n, bias, y, n, 0, gelu, r0, r1, q));
    }

    /**
     * {@link #gemm} without epilogue, columns [s·width, (s+1)·width) of y into ys[s] [M, width]
     * (width a multiple of NR, so that no panel straddles two outputs): one product for Q, K and V.
     */
    static void gemmSplit(Parallel par, float[] x, int m, int k, float[] w, int n, float[] bias, float[][] ys, int width) {
        GemmTiles.run(par, m, MR, PanelLayout.panels(n, NR), rowBlock(k), (r0, r1, q) -> {
            int s = q * NR / width;
            tile(x, k, w, n, bias, ys[s], width, s * width, false, r0, r1, q);
        });
    }

    /**
     * Steps of K per block: with 32- and 64-float panels (AVX-512) the panel's block [KC, NR] is
     * 16 KiB (KC = 64 with 64-float panels), so that it and the x rows' block stay in a 32 KiB L1 while
     * the row groups of a tile reuse them; 16-float panels (AVX2) are not blocked, which measured
     * faster on Zen 3 ({@link GemmTile#kBlock}). Shapes with K at most 1.5·KC are not blocked. {@code -Dlacuna.gemm.kc=N}
     * overrides it (for the lab); blocking never changes results (each block continues the chains).
     */
    static final int KC = GemmTile.kBlock(System.getProperty("lacuna.gemm.kc"), NR);

    /**
     * Rows [r0, r1) x panel q: per K block, every MR-row group; after the last block the bias and the
     * epilogue on the rows just stored (still in L1). A panel that runs past N (its last columns are
     * padding) is computed whole into a scratch tile and its real columns copied out.
     */
    static void tile(float[] x, int k, float[] w, int n, float[] bias, float[] y, int ldy, int y0, boolean gelu, int r0, int r1, int q) {
        int j = q * NR;           // the panel's first column of the product
        int yc = j - y0;          // and of y (y holds the product's columns y0..)
        int wo = q * k * NR;
        if (j + NR > n) {
            tailPanel(x, k, w, wo, n, j, bias, y, ldy, yc, gelu, r0, r1);
            return;
        }
        int kc = k <= KC + KC / 2 ? k : KC;
        for (int p0 = 0; ; p0 += kc) { // at least one block: K = 0 stores the bias
            int p1 = k - p0 <= kc + kc / 2 ? k : p0 + kc; // no sliver of a last block
            boolean last = p1 == k;
            for (int i = r0; i < r1; i += MR) {
                int rows = Math.min(MR, r1 - i);
                micro(rows, NV, x, i * k, k, w, wo, y, i * ldy + yc, ldy, p0, p1);
                if (last) finish(y, i, rows, ldy, yc, NR, bias, j, gelu);
            }
            if (last) break;
        }
    }

    /**
     * Rows [i, i + rows) x columns [yc, yc + cols) of y (row stride ldy), as the micro-kernel left them:
     * + bias[bj..] (the same float add the sum had in the kernel before), then GELU if asked. Kept out of
     * the micro-kernels so that they stay small enough for C2 to keep every value of their loop in a register.
     */
    static void finish(float[] y, int i, int rows, int ldy, int yc, int cols, float[] bias, int bj, boolean gelu) {
        for (int r = i; r < i + rows; r++) {
            int o = r * ldy + yc;
            if (bias != null) {
                int c = 0;
                for (; c + L <= cols; c += L) FloatVector.fromArray(S, y, o + c).add(FloatVector.fromArray(S, bias, bj + c)).intoArray(y, o + c);
                if (c < cols) {
                    VectorMask<Float> mk = S.indexInRange(c, cols);
                    FloatVector.fromArray(S, y, o + c, mk).add(FloatVector.fromArray(S, bias, bj + c, mk)).intoArray(y, o + c, mk);
                }
            }
            if (gelu) VectorKernels.geluRange(y, o, o + cols);
        }
    }

    /** The last panel when N is not a multiple of NR: each row group into scratch [MR, NR] (all of K), then its n - j real columns. */
    private static void tailPanel(float[] x, int k, float[] w, int wo, int n, int j, float[] bias, float[] y, int ldy, int yc, boolean gelu, int r0, int r1) {
        int cols = n - j;
        float[] t = new float[MR * NR];
        for (int i = r0; i < r1; i += MR) {
            int rows = Math.min(MR, r1 - i);
            micro(rows, NV, x, i * k, k, w, wo, t, 0, NR, 0, k);
            for (int r = 0; r < rows; r++) System.arraycopy(t, r * NR, y, (i + r) * ldy + yc, cols);
            finish(y, i, rows, ldy, yc, cols, bias, j, gelu);
        }
    }
}
