// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import java.util.Arrays;

/**
 * Which weights of a projection W [N, K] survive pruning: one bit per weight, row-major, set = kept.
 * Immutable; {@link Builder} makes one.
 *
 * <p>Shapes: N output features (rows), K input features (columns).
 */
public final class Mask {
    private final int rows;    // N
    private final int cols;    // K
    private final long[] bits; // [ceil(N * K / 64)], bit i = weight (i / K, i % K) is kept
    private final long kept;

    private Mask(int rows, int cols, long[] bits) {
        this.rows = rows;
        this.cols = cols;
        this.bits = bits;
        long n = 0;
        for (long w : bits) n += Long.bitCount(w);
        this.kept = n;
    }

    /** A mask that keeps every weight. */
    public static Mask dense(int rows, int cols) {
        Builder b = new Builder(rows, cols);
        b.keepAll();
        return b.build();
    }

    /** The mask of the non-zero entries of W [rows, cols]. */
    public static Mask ofNonZero(float[] w, int rows, int cols) {
        checkSize(w.length, rows, cols);
        Builder b = new Builder(rows, cols);
        for (int i = 0; i < w.length; i++) if (w[i] != 0f) b.keep(i);
        return b.build();
    }

    /** A mask from one flag per weight, row-major, true = kept. */
    public static Mask of(boolean[] kept, int rows, int cols) {
        checkSize(kept.length, rows, cols);
        Builder b = new Builder(rows, cols);
        for (int i = 0; i < kept.length; i++) if (kept[i]) b.keep(i);
        return b.build();
    }

    private static void checkSize(int length, int rows, int cols) {
        if (rows < 0 || cols < 0 || (long) rows * cols != length) {
            throw new IllegalArgumentException("mask [" + rows + ", " + cols + "] needs " + (long) rows * cols + " values, got " + length);
        }
    }

    /** N, the output features. */
    public int rows() {
        return rows;
    }

    /** K, the input features. */
    public int cols() {
        return cols;
    }

    public long size() {
        return (long) rows * cols;
    }

    public boolean isKept(int row, int col) {
        return isKept((long) row * cols + col);
    }

    /** Whether the weight at row-major index {@code i} is kept. */
    public boolean isKept(long i) {
        return (bits[(int) (i >>> 6)] & (1L << i)) != 0;
    }

    public long keptCount() {
        return kept;
    }

    public long prunedCount() {
        return size() - kept;
    }

    /** Fraction of weights pruned; 0 for an empty matrix. */
    public double sparsity() {
        return size() == 0 ? 0 : (double) prunedCount() / size();
    }

    /** Weights kept in row {@code r}. */
    public int keptInRow(int r) {
        int n = 0;
        long base = (long) r * cols;
        for (int c = 0; c < cols; c++) if (isKept(base + c)) n++;
        return n;
    }

    /** W ⊙ mask as a new array; {@code w} [N, K] is not modified. */
    public float[] apply(float[] w) {
        checkSize(w.length, rows, cols);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) if (isKept(i)) out[i] = w[i];
        return out;
    }

    /** Weights kept by both masks. */
    public Mask and(Mask o) {
        if (o.rows != rows || o.cols != cols) {
            throw new IllegalArgumentException("mask [" + rows + ", " + cols + "] and [" + o.rows + ", " + o.cols + "] differ in shape");
        }
        long[] b = bits.clone();
        for (int i = 0; i < b.length; i++) b[i] &= o.bits[i];
        return new Mask(rows, cols, b);
    }

    /** Whether every group of {@code m} consecutive inputs of every row keeps at most {@code n} weights. */
    public boolean isNofM(int n, int m) {
        if (m <= 0 || cols % m != 0) return false;
        for (int r = 0; r < rows; r++) {
            long base = (long) r * cols;
            for (int g = 0; g < cols; g += m) {
                int k = 0;
                for (int j = 0; j < m; j++) if (isKept(base + g + j)) k++;
                if (k > n) return false;
            }
        }
        return true;
    }

    /** One flag per weight, row-major, true = kept. */
    public boolean[] toBooleanArray() {
        boolean[] out = new boolean[Math.toIntExact(size())];
        for (int i = 0; i < out.length; i++) out[i] = isKept(i);
        return out;
    }

    /** A mutable builder; starts with every weight pruned. */
    public Builder toBuilder() {
        Builder b = new Builder(rows, cols);
        System.arraycopy(bits, 0, b.bits, 0, bits.length);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.rows == rows && m.cols == cols && Arrays.equals(m.bits, bits);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * rows + cols) + Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "Mask[%d, %d] sparsity %.4f", rows, cols, sparsity());
    }

    /** Builds a mask; every weight starts pruned. Not thread-safe across words; callers split by row. */
    public static final class Builder {
        private final int rows;
        private final int cols;
        private final long[] bits;

        public Builder(int rows, int cols) {
            if (rows < 0 || cols < 0) throw new IllegalArgumentException("mask shape [" + rows + ", " + cols + "]");
            this.rows = rows;
            this.cols = cols;
            this.bits = new long[(int) (((long) rows * cols + 63) >>> 6)];
        }

        public Builder keep(long i) {
            bits[(int) (i >>> 6)] |= 1L << i;
            return this;
        }

        public Builder keep(int row, int col) {
            return keep((long) row * cols + col);
        }

        public Builder prune(long i) {
            bits[(int) (i >>> 6)] &= ~(1L << i);
            return this;
        }

        public Builder prune(int row, int col) {
            return prune((long) row * cols + col);
        }

        public boolean isKept(long i) {
            return (bits[(int) (i >>> 6)] & (1L << i)) != 0;
        }

        public boolean isKept(int row, int col) {
            return isKept((long) row * cols + col);
        }

        public Builder keepAll() {
            long n = (long) rows * cols;
            Arrays.fill(bits, -1L);
            int tail = (int) (n & 63);
            if (tail != 0) bits[bits.length - 1] = (1L << tail) - 1;
            return this;
        }

        public Mask build() {
            return new Mask(rows, cols, bits.clone());
        }
    }
}
