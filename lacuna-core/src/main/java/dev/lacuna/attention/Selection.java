// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static dev.lacuna.attention.VectorMath.L;
import static dev.lacuna.attention.VectorMath.S;

/**
 * Picking keys from a row of scores (log2 domain): the k largest, or the smallest set holding a
 * fraction p of the softmax mass. Vector passes find a threshold; only the few candidates near it
 * are handled one by one.
 */
final class Selection {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    private static final VectorSpecies<Integer> I = Species.INT;

    private Selection() {}

    /**
     * Writes the indices (relative to off) of the k largest of s[off, off + n) to idx, in ascending
     * order when k >= n, otherwise in no particular order; returns min(k, n).
     *
     * @param tmp at least n + 2L floats
     */
    static int topK(float[] s, int off, int n, int k, int[] idx, float[] tmp) {
        if (k >= n) {
            for (int j = 0; j < n; j++) idx[j] = j;
            return n;
        }
        if (k <= 0) return 0;
        // sample the row to guess a threshold with about 1.25k keys above it
        int step = Math.max(1, n / 256), ns = 0;
        for (int j = 0; j < n; j += step) tmp[ns++] = s[off + j];
        long want = k + k / 4 + 32;
        int rank = (int) Math.min(ns - 1, want * ns / n);
        float t = kthLargest(tmp, ns, rank + 1);
        int count = countAtLeast(s, off, n, t);
        while (count < k) {
            rank = rank * 2 + 1;
            if (rank >= ns) {
                t = NEG_INF;
                break;
            }
            t = kthLargest(tmp, ns, rank + 1);
            count = countAtLeast(s, off, n, t);
        }
        int c = collectAtLeast(s, off, n, t, idx);
        if (c == k) return k;
        // exact k-th largest among the candidates
        for (int x = 0; x < c; x++) tmp[x] = s[off + idx[x]];
        float kth = kthLargest(tmp, c, k);
        int atLeast = 0;
        for (int x = 0; x < c; x++) atLeast += tmp[x] >= kth ? 1 : 0;
        int w = 0;
        if (atLeast == k) { // no ties past k: branch-free compaction (w <= x, so idx[x] is still unread)
            for (int x = 0; x < c; x++) {
                idx[w] = idx[x];
                w += tmp[x] >= kth ? 1 : 0;
            }
            return w;
        }
        int ties = k - (atLeast - countEqual(tmp, c, kth));
        for (int x = 0; x < c; x++) {
            float sv = tmp[x];
            if (sv > kth || (sv == kth && ties-- > 0)) idx[w++] = idx[x];
        }
        return w;
    }

    /**
     * Writes to idx the indices (relative to off) of the smallest set of s[off, off + n) whose
     * softmax mass (weights 2^s) is at least p of the row's; returns its size. p >= 1 keeps all.
     * RTPurbo's dynamic top-p (2025): the budget follows the query instead of a fixed k.
     *
     * @param tmp at least n + 2L floats
     */
    static int topP(float[] s, int off, int n, double p, int[] idx, float[] tmp) {
        if (p >= 1 || n <= 1) {
            for (int j = 0; j < n; j++) idx[j] = j;
            return n;
        }
        int padded = VectorMath.roundUp(n, L);
        float mx = NEG_INF;
        for (int j = 0; j < n; j++) mx = Math.max(mx, s[off + j]);
        for (int j = 0; j < n; j++) tmp[j] = s[off + j] - mx;
        for (int j = n; j < padded; j++) tmp[j] = NEG_INF;
        double z = 0;
        for (int j = 0; j < padded; j += L) {
            FloatVector w = VectorMath.exp2(FloatVector.fromArray(S, tmp, j));
            w.intoArray(tmp, j);
            z += VectorMath.sumLanes(w);
        }
        double target = p * z;
        // bisect the threshold 2^-x: mass(x) = sum of weights >= 2^-x grows with x
        double xa = 0, xb = 127;
        if (massAtLeast(tmp, padded, 1f) < target) {
            for (int it = 0; it < 40; it++) {
                double mid = (xa + xb) / 2;
                float t = (float) Math.pow(2, -mid);
                if (massAtLeast(tmp, padded, t) >= target) xb = mid;
                else xa = mid;
                if (countBetween(tmp, padded, (float) Math.pow(2, -xb), (float) Math.pow(2, -xa)) <= 64) break;
            }
        } else {
            xb = 0;
        }
        float hi = (float) Math.pow(2, -xa), lo = (float) Math.pow(2, -xb);
        // keys surely in (>= hi when xa > 0), then the band [lo, hi) largest first
        int c = 0;
        double mass = 0;
        if (xb > 0) {
            for (int j = 0; j < n; j++) {
                if (tmp[j] >= hi) {
                    idx[c++] = j;
                    mass += tmp[j];
                }
            }
        }
        int bandStart = c;
        for (int j = 0; j < n; j++) {
            float w = tmp[j];
            if (w >= lo && (xb == 0 || w < hi)) idx[c++] = j;
        }
        int band = c - bandStart;
        long[] keys = new long[band];
        for (int x = 0; x < band; x++) {
            int j = idx[bandStart + x];
            keys[x] = ((long) Float.floatToIntBits(tmp[j]) << 32) | j;
        }
        Arrays.sort(keys);
        c = bandStart;
        for (int x = band - 1; x >= 0 && mass < target; x--) {
            int j = (int) keys[x];
            idx[c++] = j;
            mass += tmp[j];
        }
        return c;
    }

    private static int countEqual(float[] a, int n, float t) {
        int c = 0;
        for (int i = 0; i < n; i++) if (a[i] == t) c++;
        return c;
    }

    private static int countAtLeast(float[] s, int off, int n, float t) {
        int c = 0, j = 0;
        for (; j <= n - L; j += L) c += FloatVector.fromArray(S, s, off + j).compare(VectorOperators.GE, t).trueCount();
        for (; j < n; j++) if (s[off + j] >= t) c++;
        return c;
    }

    private static int collectAtLeast(float[] s, int off, int n, float t, int[] idx) {
        int c = 0, j = 0;
        for (; j <= n - L; j += L) {
            long bits = FloatVector.fromArray(S, s, off + j).compare(VectorOperators.GE, t).toLong();
            while (bits != 0) {
                idx[c++] = j + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        for (; j < n; j++) if (s[off + j] >= t) idx[c++] = j;
        return c;
    }

    private static double massAtLeast(float[] w, int padded, float t) {
        FloatVector sum = FloatVector.zero(S);
        for (int j = 0; j < padded; j += L) {
            FloatVector x = FloatVector.fromArray(S, w, j);
            sum = sum.add(x.blend(0f, x.compare(VectorOperators.LT, t)));
        }
        return VectorMath.sumLanes(sum);
    }

    private static int countBetween(float[] w, int padded, float lo, float hi) {
        int c = 0;
        for (int j = 0; j < padded; j += L) {
            FloatVector x = FloatVector.fromArray(S, w, j);
            c += x.compare(VectorOperators.GE, lo).and(x.compare(VectorOperators.LT, hi)).trueCount();
        }
        return c;
    }

    /**
     * The k-th largest of a[0, n) (1-based k <= n). Bisection on the order-preserving integer image of
     * the floats, counting with vector compares: at most 32 branch-free passes, much faster than a
     * quickselect's mispredicted branches for the few hundred values it is used on.
     */
    static float kthLargest(float[] a, int n, int k) {
        long lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int key = key(a[i]);
            lo = Math.min(lo, key);
            hi = Math.max(hi, key);
        }
        // invariant: countAtLeastKey(lo) >= k; the answer is the largest such key
        while (lo < hi) {
            long mid = (lo + hi + 1) >> 1;
            if (countAtLeastKey(a, n, (int) mid) >= k) lo = mid;
            else hi = mid - 1;
        }
        int key = (int) lo;
        return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7fffffff));
    }

    /** Signed-int order of key(x) is the float order of x (NaN excluded). */
    private static int key(float x) {
        int bits = Float.floatToRawIntBits(x);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int countAtLeastKey(float[] a, int n, int t) {
        int c = 0, i = 0;
        IntVector tv = IntVector.broadcast(I, t);
        for (; i <= n - L; i += L) {
            IntVector bits = FloatVector.fromArray(S, a, i).reinterpretAsInts();
            IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7fffffff));
            c += keys.compare(VectorOperators.GE, tv).trueCount();
        }
        for (; i < n; i++) if (key(a[i]) >= t) c++;
        return c;
    }
}
