// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Arrays;

/**
 * The keys a tile of queries may attend to: disjoint key ranges [from, to), each marked full (every
 * query of the tile attends every key of the range) or partial (a mask decides per query and key),
 * plus gathered columns (isolated keys such as vertical stripes, computed as one packed list).
 *
 * <p>Producers add ranges in any order and may overlap them; {@link #normalize} sorts and merges.
 * A merged range is full only if every range merged into it was full.
 */
public final class KeyRanges {
    private int[] from = new int[16];
    private int[] to = new int[16];
    private boolean[] full = new boolean[16];
    private int size;
    private int[] columns = new int[16];
    private int columnCount;

    public void clear() {
        size = 0;
        columnCount = 0;
    }

    /** Adds keys [from, to) clipped to [0, n); empty ranges are dropped. */
    public void add(int from, int to, boolean full, int n) {
        int f = Math.max(0, from), t = Math.min(n, to);
        if (f >= t) return;
        if (size == this.from.length) {
            this.from = Arrays.copyOf(this.from, size * 2);
            this.to = Arrays.copyOf(this.to, size * 2);
            this.full = Arrays.copyOf(this.full, size * 2);
        }
        this.from[size] = f;
        this.to[size] = t;
        this.full[size] = full;
        size++;
    }

    /** Adds an isolated key that every query of the tile may attend (a vertical stripe). */
    public void column(int j) {
        if (columnCount == columns.length) columns = Arrays.copyOf(columns, columnCount * 2);
        columns[columnCount++] = j;
    }

    public int size() {
        return size;
    }

    public int from(int r) {
        return from[r];
    }

    public int to(int r) {
        return to[r];
    }

    public boolean full(int r) {
        return full[r];
    }

    public int columnCount() {
        return columnCount;
    }

    /** The gathered columns, sorted and unique after {@link #normalize}; [0, columnCount()) is live. */
    public int[] columns() {
        return columns;
    }


    /**
     * Sorts and merges ranges; sorts and de-duplicates columns. Columns inside ranges stay: the engine
     * attends them once, as columns, and masks them out of the ranges.
     */
    public void normalize() {
        if (size > 1) {
            sortRanges();
            int w = 0;
            for (int r = 1; r < size; r++) {
                boolean overlap = from[r] < to[w];
                boolean adjacentSame = from[r] == to[w] && full[r] == full[w];
                if (overlap || adjacentSame) {
                    to[w] = Math.max(to[w], to[r]);
                    full[w] &= full[r];
                } else {
                    w++;
                    from[w] = from[r];
                    to[w] = to[r];
                    full[w] = full[r];
                }
            }
            size = w + 1;
        }
        if (columnCount > 0) {
            Arrays.sort(columns, 0, columnCount);
            int w = 0;
            for (int c = 0; c < columnCount; c++) if (w == 0 || columns[w - 1] != columns[c]) columns[w++] = columns[c];
            columnCount = w;
        }
    }

    /** Index of the range holding key j, or -1. Ranges must be normalized. */
    int rangeOf(int j) {
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (to[mid] <= j) lo = mid + 1;
            else if (from[mid] > j) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    /** Index of the first column >= j (columns sorted). */
    int firstColumnAtLeast(int j) {
        int lo = 0, hi = columnCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (columns[mid] < j) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private long[] sortKeys = new long[0];

    private void sortRanges() {
        boolean sorted = true;
        for (int r = 1; r < size && sorted; r++) sorted = from[r - 1] <= from[r];
        if (sorted) return;
        if (sortKeys.length < size) sortKeys = new long[from.length];
        for (int r = 0; r < size; r++) sortKeys[r] = ((long) from[r] << 32) | r;
        Arrays.sort(sortKeys, 0, size);
        int[] nf = new int[from.length], nt = new int[from.length];
        boolean[] nfl = new boolean[from.length];
        for (int r = 0; r < size; r++) {
            int o = (int) sortKeys[r];
            nf[r] = from[o];
            nt[r] = to[o];
            nfl[r] = full[o];
        }
        from = nf;
        to = nt;
        full = nfl;
    }
}
