// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

/** Rows [tokens, d_in] a trainer reads: an {@link ActivationStore} on disk, or {@link #of} rows in memory. */
public interface ActivationRows {
    long tokens();

    int dIn();

    /** Copies row r into dst[off, off + d_in). */
    void row(long r, float[] dst, int off);

    /** A seeded shuffled order of all rows for one epoch. */
    default int[] permutation(long seed, int epoch) {
        int n = (int) tokens();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        java.util.Random rng = new java.util.Random(seed * 1_000_003L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Rows held in memory: data [rows, dIn]. */
    static ActivationRows of(float[] data, int rows, int dIn) {
        if (data.length < (long) rows * dIn) throw new IllegalArgumentException("data has " + data.length + " values, [" + rows + ", " + dIn + "] needs more");
        return new ActivationRows() {
            public long tokens() {
                return rows;
            }

            public int dIn() {
                return dIn;
            }

            public void row(long r, float[] dst, int off) {
                System.arraycopy(data, (int) r * dIn, dst, off, dIn);
            }
        };
    }

    /** Rows [from, to) of {@code base} as rows [0, to − from): a train / held-out split of a store. */
    static ActivationRows range(ActivationRows base, long from, long to) {
        if (from < 0 || to > base.tokens() || from >= to) throw new IllegalArgumentException("row range [" + from + ", " + to + ") of " + base.tokens());
        return new ActivationRows() {
            public long tokens() {
                return to - from;
            }

            public int dIn() {
                return base.dIn();
            }

            public void row(long r, float[] dst, int off) {
                base.row(from + r, dst, off);
            }
        };
    }
}
