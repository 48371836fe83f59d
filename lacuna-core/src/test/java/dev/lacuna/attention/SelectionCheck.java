// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a selecting kernel against a brute-force reference of its rule, on several sequences packed
 * back to back without padding in one {@link Fixtures} buffer: per query, the keys the kernel chose
 * (seen through {@link FlashEngine.KeyObserver}) must be the reference's, and its output exact softmax
 * attention over those keys, computed here in double precision.
 */
final class SelectionCheck {
    private SelectionCheck() {}

    /** A reference rule: the keys query i of the sequence at [start, start + length) attends. */
    interface Reference {
        Keys keys(Fixtures f, int start, int length, int head, int i);
    }

    /**
     * A reference's choice: every key of {@code sure}, and {@code size - sure.length} of {@code maybe}
     * (keys whose scores sit within float rounding of the cut, which the kernel may order either way).
     */
    record Keys(int[] sure, int[] maybe, int size) {
        static Keys exactly(int[] keys) {
            return new Keys(keys, new int[0], keys.length);
        }

        void assertAllows(int[] got, String what) {
            if (maybe.length == 0) {
                assertArrayEquals(sure, got, what);
                return;
            }
            assertEquals(size, got.length, what + ": count");
            for (int j : sure) assertTrue(Arrays.binarySearch(got, j) >= 0, what + ": key " + j + " missing from " + Arrays.toString(got));
            for (int j : got) {
                assertTrue(Arrays.binarySearch(sure, j) >= 0 || Arrays.binarySearch(maybe, j) >= 0,
                        what + ": key " + j + " is not the reference's, " + Arrays.toString(sure) + " + some of " + Arrays.toString(maybe));
            }
        }
    }

    /** Sequence lengths packed from f.start on; their sum must be f.length. */
    static void check(AttentionKernel kern, Fixtures f, int head, int[] lengths, Reference ref, boolean observe, String what) {
        assertEquals(f.length, Arrays.stream(lengths).sum(), "lengths fill the fixture");
        int d = f.headDim, col = head * d;
        int off = f.start;
        long total = 0, all = 0;
        for (int len : lengths) {
            Keys[] want = new Keys[len];
            long wantPairs = 0;
            for (int i = 0; i < len; i++) {
                want[i] = ref.keys(f, off, len, head, i);
                wantPairs += want[i].size();
            }
            int[][] got = new int[len][];
            FlashEngine e = Workspace.get().engine;
            if (observe) {
                e.observer = (row, idx, count) -> {
                    int[] sorted = Arrays.copyOf(idx, count);
                    Arrays.sort(sorted);
                    assertTrue(got[row] == null, what + ": row " + row + " selected twice");
                    got[row] = sorted;
                };
            }
            float[] out = new float[f.q.length];
            Arrays.fill(out, Float.NaN);
            long kept;
            try {
                kept = kern.attendRows(f.q, f.k, f.v, out, f.stride, off, len, col, d, f.scale,
                        new float[Math.max(1, kern.scratchSize(len, d))], 0, len, new float[len]);
            } finally {
                e.observer = null;
            }
            String seq = what + ", sequence at " + (off - f.start) + " length " + len;
            assertEquals(wantPairs, kept, seq + ": pairs kept vs brute force");
            for (int i = 0; i < len; i++) {
                int[] set = want[i].sure();
                if (observe) {
                    want[i].assertAllows(got[i], seq + ": keys of row " + i);
                    set = got[i];
                } else {
                    assertEquals(0, want[i].maybe().length, seq + ": row " + i + " has an undecided cut");
                }
                double[] exact = exact(f, off, head, i, set);
                for (int c = 0; c < d; c++) {
                    double o = out[(off + i) * f.stride + col + c];
                    assertTrue(Math.abs(o - exact[c]) <= 1e-4 * Math.max(1, Math.abs(exact[c])),
                            seq + ": row " + i + " column " + c + " output " + o + " vs exact " + exact[c]);
                }
            }
            total += wantPairs;
            all += (long) len * len;
            off += len;
        }
        assertTrue(total < 0.5 * all, what + ": a partial budget, " + total + " of " + all + " pairs");
    }

    /** Exact softmax attention of query i (sequence from start) over the given keys, in double. */
    static double[] exact(Fixtures f, int start, int head, int i, int[] keys) {
        int d = f.headDim, col = head * d;
        double[] s = new double[keys.length];
        double mx = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < keys.length; x++) {
            s[x] = dot(f.q, (start + i) * f.stride + col, f.k, (start + keys[x]) * f.stride + col, d) * f.scale;
            mx = Math.max(mx, s[x]);
        }
        double z = 0;
        double[] o = new double[d];
        for (int x = 0; x < keys.length; x++) {
            double w = Math.exp(s[x] - mx);
            z += w;
            for (int c = 0; c < d; c++) o[c] += w * f.v[(start + keys[x]) * f.stride + col + c];
        }
        for (int c = 0; c < d; c++) o[c] /= z;
        return o;
    }

    static double dot(float[] a, int ao, float[] b, int bo, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) s += (double) a[ao + c] * b[bo + c];
        return s;
    }

    /**
     * The k largest of s[0, n) as {@link Keys}: when scores lie within float rounding (1e-4 relative) of
     * the k-th, those are left to the kernel.
     */
    static Keys topKBand(double[] s, int n, int k) {
        if (k >= n) return Keys.exactly(topK(s, n, k, ""));
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> Double.compare(s[y], s[x]));
        double t = s[order[k - 1]], eps = 1e-4 * (1 + Math.abs(t));
        if (s[order[k]] < t - eps) {
            int[] idx = new int[k];
            for (int x = 0; x < k; x++) idx[x] = order[x];
            Arrays.sort(idx);
            return Keys.exactly(idx);
        }
        int[] sure = java.util.stream.IntStream.range(0, n).filter(j -> s[j] > t + eps).toArray();
        int[] maybe = java.util.stream.IntStream.range(0, n).filter(j -> Math.abs(s[j] - t) <= eps).toArray();
        return new Keys(sure, maybe, k);
    }

    /**
     * Indices of the k largest of s[0, n), ascending; exact ties go to the lowest index (the rule of
     * Selection.topK, which keeps tied candidates in index order, and of MISA's router). Fails when the
     * k-th and (k+1)-th differ by less than the float rounding a kernel may make (the fixture cannot
     * decide), unless they are exactly equal.
     */
    static int[] topK(double[] s, int n, int k, String what) {
        if (k >= n) {
            int[] all = new int[n];
            for (int j = 0; j < n; j++) all[j] = j;
            return all;
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) order[j] = j;
        Arrays.sort(order, (x, y) -> s[x] != s[y] ? Double.compare(s[y], s[x]) : Integer.compare(x, y));
        double a = s[order[k - 1]], b = s[order[k]];
        assertTrue(a == b || a - b > 1e-6 * (1 + Math.abs(a)), what + ": near-tie at the k-th score, " + a + " vs " + b);
        int[] idx = new int[k];
        for (int x = 0; x < k; x++) idx[x] = order[x];
        Arrays.sort(idx);
        return idx;
    }
}
