// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;

/**
 * Splits a GEMM's output y [M, N] into tiles of (a row block of about {@code mc} rows) x (one panel of NR columns),
 * numbered row-block-major, and hands runs of consecutive tiles to whichever thread of a {@link Parallel} is
 * free (about eight runs per thread).
 * Small M gives a single row block, so the threads split the panels (N); large M splits rows. A
 * tile's values never depend on which thread computes it: each output element is computed whole
 * (all of K) inside one tile.
 */
final class GemmTiles {
    private GemmTiles() {}

    /** Computes y rows [rowStart, rowEnd) x panel {@code panel}. */
    @FunctionalInterface
    interface TileBody {
        void run(int rowStart, int rowEnd, int panel);
    }

    /**
     * Runs {@code body} over all tiles of y [m, panels·NR]. Rows are cut into row blocks of about
     * {@code mc} rows, all within one {@code mr}-row group of each other (so the tiles are of equal
     * size and the threads' shares are even); block boundaries are multiples of {@code mr}, so only
     * the last block has a row tail.
     */
    static void run(Parallel par, int m, int mr, int panels, int mc, TileBody body) {
        if (m <= 0 || panels <= 0) return;
        int groups = (m + mr - 1) / mr;
        int blocks = Math.min(groups, Math.max(1, (m + mc - 1) / mc));
        long tiles = (long) blocks * panels;
        if (tiles > Integer.MAX_VALUE) throw new IllegalArgumentException("gemm: too many tiles");
        // Chunks of consecutive tiles (one row block, neighbouring panels) claimed by whichever thread is
        // free: on a shared or virtual machine a delayed thread no longer holds the other up at the end.
        int chunk = (int) Math.max(1, tiles / (8L * par.threads()));
        par.forChunks((int) tiles, chunk, (s, e) -> {
            for (int t = s; t < e; t++) {
                int rb = t / panels;
                int q = t - rb * panels;
                int r0 = (int) ((long) groups * rb / blocks) * mr;
                int r1 = Math.min(m, (int) ((long) groups * (rb + 1) / blocks) * mr);
                body.run(r0, r1, q);
            }
        });
    }
}
