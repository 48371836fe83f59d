// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.util.List;
import java.util.Random;

/**
 * Times GEMM register tiles on this machine, each candidate in the GEMM's own loop nest on two
 * encoder-shaped problems: x [480, 384] times a packed W of 1,536 columns, and x [120, 1536] times
 * 384 columns (W 2.3 MiB, beyond L2 as in the model), in row blocks of {@link VectorGemm#rowBlock}'s
 * size, K cut into the candidate's {@link GemmTile#kBlock} blocks and every row group run per block,
 * as {@link VectorGemm#tile} does. An L1-resident panel (what this probe timed until 2026-12-04)
 * cannot see what a wider tile saves in loads and passes over the panels.
 *
 * <p>Candidates run interleaved round-robin, so that load from other processes falls on all of them
 * alike; rounds go on until every candidate has been compiled (each runs at a quarter or more of the
 * fastest: interpreted Vector API code runs at a hundredth), at least 0.5 s have passed (C2 replaces
 * the first compiled code, which runs at half speed, only after a few hundred ms) and no best time
 * has improved by 2% for 150 ms; then the best of each stands. Twice that (see {@link #gflops}): about 1.2 s
 * on an idle machine, at most 10 s, once per CPU (cached).
 */
final class TileProbe {
    private TileProbe() {}

    /**
     * The problems, x [ROWS[i], KS[i]] times NS[i] columns: the shapes of the 384-wide and the 1,536-wide
     * inputs (rows a multiple of every candidate's MR, 4, 5 and 6; both x and both W of the same size).
     */
    private static final int[] KS = {384, 1536}, ROWS = {480, 120}, NS = {1536, 384};
    private static final int XSIZE = 480 * 384, WSIZE = 1536 * 384;

    /**
     * The candidate with the most FLOP/s; among those within {@link #TIE} of it, the one with the most
     * accumulators (then the most rows). On AMD Zen 5 the probe measured 4x4, 5x4 and 6x4 within 2%
     * of each other (236, 233, 232 GFLOP/s), where at 2,048 tokens 6x4 ran 5% faster than 4x4 at
     * K = 1,536 (fewer loads per FMA, fewer passes over each panel); on Intel Xeon 6x4 was also among
     * the fastest (docs/BENCHMARKS.md).
     */
    static GemmTile fastest(List<GemmTile> candidates) {
        if (candidates.size() == 1) return candidates.get(0);
        return pick(candidates, gflops(candidates));
    }

    /** Ties within this fraction of the fastest go to the larger tile. */
    static final double TIE = 0.03;

    static GemmTile pick(List<GemmTile> candidates, double[] g) {
        double top = 0;
        for (double v : g) top = Math.max(top, v);
        GemmTile best = null;
        for (int c = 0; c < g.length; c++) {
            if (g[c] < top * (1 - TIE)) continue;
            GemmTile t = candidates.get(c);
            if (best == null || t.accumulators() > best.accumulators() || t.accumulators() == best.accumulators() && t.mr() > best.mr()) best = t;
        }
        return best;
    }

    /**
     * Best GFLOP/s of each candidate in the loop nest, measured interleaved. Two passes, the first
     * discarded: in the first, C2 compiles the timing loop on-stack with the candidates' kernels still
     * being compiled, and that code ran the 4 to 6-row tiles 15-40% slower than the same loop entered
     * again (AMD Zen 5, {@code TileProbeLab}, 2026-12-04), even when the pass was made 2 s long.
     */
    static double[] gflops(List<GemmTile> candidates) {
        pass(candidates);
        return pass(candidates);
    }

    private static double[] pass(List<GemmTile> candidates) {
        int l = Species.FLOAT.length();
        Random r = new Random(11);
        float[] x = new float[XSIZE];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[][] w = new float[candidates.size()][];
        for (int c = 0; c < w.length; c++) {
            w[c] = new float[WSIZE];
            for (int i = 0; i < w[c].length; i++) w[c][i] = (float) r.nextGaussian();
        }
        float[] y = new float[ROWS[0] * NS[0]];
        double[] best = new double[w.length]; // ns per FLOP
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        long start = System.nanoTime(), settled = start;
        while (true) {
            long now = System.nanoTime();
            if (now - start > 5_000_000_000L) break;
            boolean improved = false;
            for (int c = 0; c < w.length; c++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < KS.length; i++) sweep(candidates.get(c), KS[i], ROWS[i], NS[i], x, w[c], y, l);
                double t = (System.nanoTime() - t0) / flops(candidates.get(c), l);
                if (t < best[c] * 0.98) improved = true;
                best[c] = Math.min(best[c], t);
            }
            double fastest = Double.MAX_VALUE;
            for (double b : best) fastest = Math.min(fastest, b);
            boolean compiled = true;
            for (double b : best) compiled &= b <= 4 * fastest;
            if (improved || !compiled) settled = System.nanoTime();
            else if (System.nanoTime() - settled > 150_000_000L && System.nanoTime() - start > 500_000_000L) break;
        }
        double[] g = new double[best.length];
        for (int c = 0; c < g.length; c++) g[c] = 1 / best[c];
        return g;
    }

    private static double flops(GemmTile t, int l) {
        double f = 0;
        for (int i = 0; i < KS.length; i++) f += 2.0 * ROWS[i] * KS[i] * NS[i];
        return f;
    }

    /**
     * {@link VectorGemm#tile}'s nest on one thread without the epilogue: row blocks of
     * {@link VectorGemm#rowBlock}'s size for this MR, every panel, K block by K block, every MR-row group.
     */
    private static void sweep(GemmTile t, int k, int rows, int n, float[] x, float[] w, float[] y, int l) {
        int nr = t.nv() * l, panels = n / nr, mr = t.mr();
        int mc = Math.max(mr, Math.min(256, (64 * 1024) / k / mr * mr));
        int kc = GemmTile.kBlock(null, nr);
        if (k <= kc + kc / 2) kc = k;
        for (int r0 = 0; r0 < rows; r0 += mc) {
            int r1 = Math.min(rows, r0 + mc);
            for (int q = 0; q < panels; q++) {
                for (int p0 = 0; p0 < k; ) {
                    int p1 = k - p0 <= kc + kc / 2 ? k : p0 + kc;
                    for (int i = r0; i < r1; i += mr)
                        VectorGemmKernels.micro(Math.min(mr, r1 - i), t.nv(), x, i * k, k, w, q * k * nr, y, i * n + q * nr, n, p0, p1);
                    p0 = p1;
                }
            }
        }
    }
}
