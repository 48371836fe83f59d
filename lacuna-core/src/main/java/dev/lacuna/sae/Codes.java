// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

/**
 * The sparse code of a batch: for row b, entries [start[b], start[b] + len[b]) of {@code idx} (latent)
 * and {@code val} (activation z, >= 0). {@code grad} holds dL/dpre of each entry during a backward pass.
 */
public final class Codes {
    public int rows;
    public int[] start = new int[0], len = new int[0], idx = new int[0];
    public float[] val = new float[0], grad = new float[0];

    /** Room for {@code rows} rows and {@code capacity} entries; contents undefined. */
    void ensure(int rows, int capacity) {
        this.rows = rows;
        if (start.length < rows) {
            start = new int[rows];
            len = new int[rows];
        }
        if (idx.length < capacity) {
            idx = new int[capacity];
            val = new float[capacity];
            grad = new float[capacity];
        }
    }

    /**
     * Keeps, per row b of pre [rows, l], the latents j with pre[b, j] > threshold[j] (threshold null:
     * 0) at activation max(0, pre): two passes, counts then entries, rows in parallel.
     */
    void fillAbove(dev.lacuna.concurrent.Parallel par, float[] pre, int rows, int l, float[] threshold) {
        int[] count = new int[rows];
        par.forRange(rows, 16, (s, e) -> {
            for (int b = s; b < e; b++) {
                int n = 0;
                for (int j = 0; j < l; j++) if (pre[b * l + j] > (threshold == null ? 0f : threshold[j])) n++;
                count[b] = n;
            }
        });
        int total = 0;
        for (int c : count) total += c;
        ensure(rows, total);
        int at = 0;
        for (int b = 0; b < rows; b++) {
            start[b] = at;
            len[b] = count[b];
            at += count[b];
        }
        par.forRange(rows, 16, (s, e) -> {
            for (int b = s; b < e; b++) {
                int q = start[b];
                for (int j = 0; j < l; j++) {
                    float x = pre[b * l + j];
                    if (x > (threshold == null ? 0f : threshold[j])) {
                        idx[q] = j;
                        val[q++] = Math.max(0f, x);
                    }
                }
            }
        });
    }

    /** Entries in all. */
    public long nnz() {
        long n = 0;
        for (int b = 0; b < rows; b++) n += len[b];
        return n;
    }

    /** Non-zero activations in all (L0 summed over rows). */
    public long nonZero() {
        long n = 0;
        for (int b = 0; b < rows; b++) for (int e = start[b]; e < start[b] + len[b]; e++) if (val[e] > 0) n++;
        return n;
    }

    /** Fills from a dense-selected column layout: entries given per latent (CSC), rebuilt row-major. */
    void fromColumns(int rows, int latents, int[] colPtr, int[] colRow, float[] colVal) {
        int nnz = colPtr[latents];
        ensure(rows, nnz);
        java.util.Arrays.fill(len, 0, rows, 0);
        for (int e = 0; e < nnz; e++) len[colRow[e]]++;
        int s = 0;
        for (int b = 0; b < rows; b++) {
            start[b] = s;
            s += len[b];
        }
        int[] fill = new int[rows];
        for (int j = 0; j < latents; j++) {
            for (int e = colPtr[j]; e < colPtr[j + 1]; e++) {
                int b = colRow[e];
                int at = start[b] + fill[b]++;
                idx[at] = j;
                val[at] = colVal[e];
            }
        }
    }
}
