// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.util.List;
import java.util.Random;

/**
 * Times GEMM register tiles on this machine: each candidate's micro-kernel on an L1/L2-resident
 * problem (60 rows of x [60, 256] times one panel [256, NV·L]), interleaved round-robin so that
 * load from other processes falls on all of them alike, best of many short rounds once every candidate runs at
 * twice the speed of scalar FMA chains or more (compiled by C2), for 150 ms more. Well under 1 s on an idle machine, once per CPU (cached).
 */
final class TileProbe {
    private TileProbe() {}

    private static final int K = 256, ROWS = 60;

    /** The candidate with the most FLOP/s. */
    static GemmTile fastest(List<GemmTile> candidates) {
        if (candidates.size() == 1) return candidates.get(0);
        double[] g = gflops(candidates);
        int arg = 0;
        for (int c = 1; c < g.length; c++) if (g[c] > g[arg]) arg = c;
        return candidates.get(arg);
    }

    /** Best GFLOP/s of each candidate's micro-kernel, measured interleaved. */
    static double[] gflops(List<GemmTile> candidates) {
        int l = Species.FLOAT.length();
        Random r = new Random(11);
        float[] x = new float[ROWS * K];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        float[][] w = new float[candidates.size()][];
        for (int c = 0; c < w.length; c++) {
            w[c] = new float[K * candidates.get(c).nv() * l];
            for (int i = 0; i < w[c].length; i++) w[c][i] = (float) r.nextGaussian();
        }
        float[] y = new float[ROWS * 4 * l];
        // Rounds until every candidate runs at least twice as fast as eight scalar FMA chains measured
        // in the same rounds (then C2 has compiled it: compiled vector code is 3-16x the scalar chains,
        // interpreted Vector API code a tenth of them), then 150 ms more for the best of each; at most
        // 5 s, after which the measurements stand as they are.
        double[] best = new double[w.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        double scalarPerFlop = Double.MAX_VALUE;
        long start = System.nanoTime(), compiled = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - start > 5_000_000_000L || (compiled != 0 && now - compiled > 150_000_000L)) break;
            long f0 = System.nanoTime();
            MachineProbe.scalarFma(20_000);
            scalarPerFlop = Math.min(scalarPerFlop, (System.nanoTime() - f0) / MachineProbe.scalarFmaFlops(20_000));
            boolean all = true;
            for (int c = 0; c < w.length; c++) {
                long t0 = System.nanoTime();
                for (int rep = 0; rep < 4; rep++) sweep(candidates.get(c), x, w[c], y, l);
                best[c] = Math.min(best[c], (System.nanoTime() - t0) / (4.0 * flops(candidates.get(c), l)));
                all &= best[c] * 2 <= scalarPerFlop;
            }
            if (all && compiled == 0) compiled = System.nanoTime();
        }
        double[] g = new double[best.length];
        for (int c = 0; c < g.length; c++) g[c] = 1 / best[c];
        return g;
    }

    private static double flops(GemmTile t, int l) {
        return 2.0 * (ROWS / t.mr() * t.mr()) * K * t.nv() * l;
    }

    /** All whole MR-row groups of x times the panel. */
    private static void sweep(GemmTile t, float[] x, float[] w, float[] y, int l) {
        int nr = t.nv() * l;
        for (int i = 0; i + t.mr() <= ROWS; i += t.mr()) VectorGemm.micro(t, x, i * K, K, w, 0, y, i * nr, nr);
    }
}
