// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Arrays;

/**
 * The static attention masks (fixed by position, not by the input). Each is a record whose {@link AttentionMask#allows} is its
 * definition (written as the one-line formula in its comment) and whose ranges/allowRow are the
 * fast paths the block-sparse kernel uses. i is the query, j the key, n the sequence length.
 */
public final class StaticMasks {
    private StaticMasks() {}

    /** Every key: the dense mask. */
    public record Full() implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            return true;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            out.add(0, n, true, n);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            Arrays.fill(row, 0, count, true);
        }
    }

    /** Sliding window: |i - j| <= radius (Beltagy et al., Longformer, 2020). */
    public record Window(int radius) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            return Math.abs(i - j) <= radius;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            long lo = (long) i0 - radius, hi = (long) i1 - 1 + radius + 1;     // union over the tile
            long fullLo = (long) i1 - 1 - radius, fullHi = (long) i0 + radius + 1; // intersection
            addBand(lo, hi, fullLo, fullHi, n, out);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            fillRange(row, j0, count, (long) i - radius, (long) i + radius + 1);
        }
    }

    /** Key columns [from, to) for every query: attention sinks when from = 0 (Xiao et al., StreamingLLM, 2023). */
    public record Columns(int from, int to) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            return j >= from && j < to;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            out.add(from, to, true, n);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            fillRange(row, j0, count, from, to);
        }
    }

    /** Global rows: queries i < count attend every key (Longformer's global tokens, as queries). */
    public record GlobalRows(int count) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            return i < count;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            if (i0 < count) out.add(0, n, i1 <= count, n);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            if (i < this.count) Arrays.fill(row, 0, count, true);
        }
    }

    /**
     * Dilated/strided: |i - j| <= local, or i and j are a multiple of {@code stride} units apart, a unit
     * being one token ({@code unit} = 1: the strided pattern of Child et al., Sparse Transformers, 2019)
     * or a block of {@code unit} tokens (block-dilated, which the block-sparse kernel can skip whole
     * tiles of): |i - j| <= local or (i / unit - j / unit) mod stride == 0.
     */
    public record Strided(int stride, int local, int unit) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            return Math.abs(i - j) <= local || Math.floorMod(i / unit - j / unit, stride) == 0;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            new Window(local).ranges(i0, i1, n, block, out);
            if (unit == 1) { // every tile of more than one row meets every residue: masked, not skipped
                out.add(0, n, false, n);
                return;
            }
            int qb0 = i0 / unit, qb1 = (i1 - 1) / unit;
            int kbs = (n + unit - 1) / unit;
            for (int kb = 0; kb < kbs; kb++) {
                boolean any = false, all = true;
                for (int qb = qb0; qb <= qb1; qb++) {
                    boolean a = Math.floorMod(qb - kb, stride) == 0;
                    any |= a;
                    all &= a;
                }
                if (any) out.add(kb * unit, (kb + 1) * unit, all, n);
            }
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            fillRange(row, j0, count, (long) i - local, (long) i + local + 1);
            if (unit == 1) {
                int first = j0 + Math.floorMod(i - j0, stride);
                for (int j = first; j < j0 + count; j += stride) row[j - j0] = true;
                return;
            }
            int qb = i / unit;
            for (int kb = j0 / unit; kb * unit < j0 + count; kb++) {
                if (Math.floorMod(qb - kb, stride) == 0) fillRange(row, j0, count, (long) kb * unit, (long) (kb + 1) * unit);
            }
        }
    }

    /**
     * S2-Attention's heterogeneous context sharding (Lin et al., 2024): head h attends to the key
     * blocks of its shard, (j / block) mod shards == h mod shards, plus a local window |i - j| <= window.
     * Across {@code shards} consecutive heads the shards cover every key exactly once.
     *
     * @param shards number of shards; 0 means one per head
     * @param shard  this head's shard, set by {@link #forHead}
     */
    public record Sharded(int shards, int block, int window, int shard) implements AttentionMask {
        @Override
        public AttentionMask forHead(int head, int heads) {
            int s = shards > 0 ? shards : heads;
            return new Sharded(s, block, window, head % s);
        }

        /** Whether key j lies in this head's shard (without the local window). */
        public boolean inShard(int j) {
            return Math.floorMod(j / block, Math.max(1, shards)) == shard;
        }

        @Override
        public boolean allows(int i, int j, int n) {
            return inShard(j) || Math.abs(i - j) <= window;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            int s = Math.max(1, shards);
            for (long j = (long) shard * this.block; j < n; j += (long) s * this.block) {
                out.add((int) j, (int) Math.min(n, j + this.block), true, n);
            }
            new Window(window).ranges(i0, i1, n, block, out);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            fillRange(row, j0, count, (long) i - window, (long) i + window + 1);
            int s = Math.max(1, shards);
            for (int kb = j0 / block; kb * block < j0 + count; kb++) {
                if (Math.floorMod(kb, s) == shard) fillRange(row, j0, count, (long) kb * block, (long) (kb + 1) * block);
            }
        }
    }

    /**
     * Diagonals: |j - i - o| <= width for some offset o (o = 0: the main diagonal; several offsets:
     * the multi-diagonal pattern of Sparse-vDiT, Chen et al., 2025).
     */
    public record Diagonals(int[] offsets, int width) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            for (int o : offsets) if (Math.abs((long) j - i - o) <= width) return true;
            return false;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            for (int o : offsets) {
                long lo = (long) i0 + o - width, hi = (long) i1 - 1 + o + width + 1;
                long fullLo = (long) i1 - 1 + o - width, fullHi = (long) i0 + o + width + 1;
                addBand(lo, hi, fullLo, fullHi, n, out);
            }
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            for (int o : offsets) fillRange(row, j0, count, (long) i + o - width, (long) i + o + width + 1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Diagonals d && Arrays.equals(offsets, d.offsets) && width == d.width;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(offsets) * 31 + width;
        }

        @Override
        public String toString() {
            return "Diagonals[offsets=" + Arrays.toString(offsets) + ", width=" + width + "]";
        }
    }

    /**
     * Block-granular diagonals: each query block of {@code block} tokens attends, for every offset o,
     * the key block shifted by o: j - o in [B * floor(i / B), B * floor(i / B) + B). It contains the
     * exact diagonals j = i + o and fills whole tiles, as MInference's slash lines do on a GPU.
     */
    public record BlockDiagonals(int block, int[] offsets) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            long b0 = (long) i / block * block;
            for (int o : offsets) if (j - o >= b0 && j - o < b0 + block) return true;
            return false;
        }

        @Override
        public void ranges(int i0, int i1, int n, int tile, KeyRanges out) {
            int qb0 = i0 / block, qb1 = (i1 - 1) / block;
            for (int qb = qb0; qb <= qb1; qb++) {
                long b0 = (long) qb * block;
                boolean full = qb0 == qb1;
                for (int o : offsets) out.add((int) Math.max(Integer.MIN_VALUE, b0 + o), (int) Math.min(Integer.MAX_VALUE, b0 + o + block), full, n);
            }
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            long b0 = (long) i / block * block;
            for (int o : offsets) fillRange(row, j0, count, b0 + o, b0 + o + block);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockDiagonals b && block == b.block && Arrays.equals(offsets, b.offsets);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(offsets) * 31 + block;
        }

        @Override
        public String toString() {
            return "BlockDiagonals[block=" + block + ", offsets=" + Arrays.toString(offsets) + "]";
        }
    }

    /** Vertical stripes: j in {@code columns} (sorted, unique), for every query (Sparse-vDiT; MInference). */
    public record Vertical(int[] columns) implements AttentionMask {
        public Vertical {
            columns = Arrays.stream(columns).sorted().distinct().toArray();
        }

        @Override
        public boolean allows(int i, int j, int n) {
            return Arrays.binarySearch(columns, j) >= 0;
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            for (int j : columns) if (j >= 0 && j < n) out.column(j);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            int p = Arrays.binarySearch(columns, j0);
            if (p < 0) p = -p - 1;
            for (; p < columns.length && columns[p] < j0 + count; p++) row[columns[p] - j0] = true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Vertical v && Arrays.equals(columns, v.columns);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(columns);
        }

        @Override
        public String toString() {
            return "Vertical" + Arrays.toString(columns);
        }
    }

    /**
     * An arbitrary block mask: grid[i / block][j / block]. Defined for sequences of up to
     * grid.length * block tokens.
     */
    public record BlockGrid(int block, boolean[][] grid) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            return grid[i / block][j / block];
        }

        @Override
        public int maxLength() {
            return grid.length * block;
        }

        @Override
        public void ranges(int i0, int i1, int n, int tile, KeyRanges out) {
            int qb0 = i0 / block, qb1 = (i1 - 1) / block;
            int kbs = Math.min(grid.length, (n + block - 1) / block);
            for (int kb = 0; kb < kbs; kb++) {
                boolean any = false, all = true;
                for (int qb = qb0; qb <= qb1; qb++) {
                    any |= grid[qb][kb];
                    all &= grid[qb][kb];
                }
                if (any) out.add(kb * block, (kb + 1) * block, all, n);
            }
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            boolean[] g = grid[i / block];
            for (int kb = j0 / block; kb * block < j0 + count; kb++) {
                if (g[kb]) fillRange(row, j0, count, (long) kb * block, (long) (kb + 1) * block);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BlockGrid b && block == b.block && Arrays.deepEquals(grid, b.grid);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(grid) * 31 + block;
        }

        @Override
        public String toString() {
            return "BlockGrid[block=" + block + ", " + grid.length + "x" + grid.length + "]";
        }
    }

    /** The union of masks: a key is allowed if any part allows it. */
    public record Union(AttentionMask... parts) implements AttentionMask {
        @Override
        public boolean allows(int i, int j, int n) {
            for (AttentionMask p : parts) if (p.allows(i, j, n)) return true;
            return false;
        }

        @Override
        public AttentionMask forHead(int head, int heads) {
            AttentionMask[] h = new AttentionMask[parts.length];
            boolean same = true;
            for (int x = 0; x < parts.length; x++) {
                h[x] = parts[x].forHead(head, heads);
                same &= h[x] == parts[x];
            }
            return same ? this : new Union(h);
        }

        @Override
        public void ranges(int i0, int i1, int n, int block, KeyRanges out) {
            for (AttentionMask p : parts) p.ranges(i0, i1, n, block, out);
        }

        @Override
        public void allowRow(int i, int j0, int count, int n, boolean[] row) {
            for (AttentionMask p : parts) p.allowRow(i, j0, count, n, row);
        }

        @Override
        public int maxLength() {
            int m = Integer.MAX_VALUE;
            for (AttentionMask p : parts) m = Math.min(m, p.maxLength());
            return m;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Union u && Arrays.equals(parts, u.parts);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(parts);
        }

        @Override
        public String toString() {
            return "Union" + Arrays.toString(parts);
        }
    }

    /** Sink + window, the A-shape: j < sinks or |i - j| <= radius; with global rows, also i < sinks. */
    public static AttentionMask sink(int sinks, int radius, boolean globalRows) {
        return globalRows ? new Union(new Columns(0, sinks), new Window(radius), new GlobalRows(sinks))
                : new Union(new Columns(0, sinks), new Window(radius));
    }

    /** Vertical stripes plus diagonals (MInference's vertical-slash, Jiang et al., 2024). */
    public static AttentionMask verticalSlash(int[] columns, int[] offsets, int width) {
        return new Union(new Vertical(columns), new Diagonals(offsets, width));
    }

    // ---- helpers

    /** Adds [lo, hi) as partial with its sub-range [fullLo, fullHi) full, all clipped to [0, n). */
    private static void addBand(long lo, long hi, long fullLo, long fullHi, int n, KeyRanges out) {
        int l = (int) Math.max(0, lo), h = (int) Math.min(n, hi);
        if (l >= h) return;
        int fl = (int) Math.max(l, Math.min(h, fullLo)), fh = (int) Math.max(fl, Math.min(h, fullHi));
        if (fl >= fh) {
            out.add(l, h, false, n);
            return;
        }
        out.add(l, fl, false, n);
        out.add(fl, fh, true, n);
        out.add(fh, h, false, n);
    }

    /** row[j - j0] = true for j in [from, to) ∩ [j0, j0 + count). */
    static void fillRange(boolean[] row, int j0, int count, long from, long to) {
        int a = (int) Math.max(0, from - j0), b = (int) Math.min(count, to - j0);
        if (a < b) Arrays.fill(row, a, b, true);
    }
}
