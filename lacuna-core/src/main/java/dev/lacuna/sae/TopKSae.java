// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TopK SAE (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"): z = ReLU(TopK_k(pre)),
 * exactly k selected latents per token; dead latents are revived by aux_k (ibid., Appendix A.2).
 * The decoder forward and the whole backward pass touch only the k selected rows of W_dec / W_enc.
 */
public final class TopKSae extends SaeArchitecture {
    static final SaeKind KIND = new SaeKind("topk", TopKSae::new, true, SaeKind.Aux.AUX_K, SaeKind.Threshold.NONE);

    TopKSae(SaeConfig cfg) {
        super(cfg);
    }

    @Override
    protected void select(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        int k = cfg.k(), l = p.dSae;
        out.ensure(rows, rows * k);
        par.forRange(rows, 16, (s, e) -> {
            int[] hi = new int[k];
            float[] hv = new float[k];
            float[] scratch = new float[SEGMENTS * S.length()];
            for (int b = s; b < e; b++) {
                int n = topKBounded(pre, b * l, l, k, hi, hv, scratch);
                out.start[b] = b * k;
                out.len[b] = n;
                for (int q = 0; q < n; q++) {
                    out.idx[b * k + q] = hi[q];
                    out.val[b * k + q] = Math.max(0f, hv[q]);
                }
            }
        });
    }

    private static final VectorSpecies<Float> S = Species.FLOAT;

    /**
     * {@link #topK} without a mask, same result: once the heap is full, a vector of lanes is only
     * looked at one by one when one of them beats the heap's minimum, which after the first few
     * hundred latents is rare, so most of the row is a compare per vector.
     */
    static int topKVector(float[] v, int off, int n, int k, int[] idx, float[] val) {
        int first = Math.min(n, k);
        int size = topK(v, off, first, k, null, idx, val);
        int j = first;
        int upper = first + S.loopBound(n - first);
        for (; j < upper; j += S.length()) {
            FloatVector x = FloatVector.fromArray(S, v, off + j);
            if (!x.compare(VectorOperators.GT, val[0]).anyTrue()) continue;
            for (int q = 0; q < S.length(); q++) size = offer(v[off + j + q], j + q, k, size, idx, val);
        }
        for (; j < n; j++) size = offer(v[off + j], j, k, size, idx, val);
        return size;
    }

    /** Lanes per segment maximum: R accumulators, so the first pass yields R·lanes disjoint maxima. */
    private static final int SEGMENTS = 8;

    /**
     * {@link #topK} without a mask, same set, in two vector passes instead of a heap over the row:
     * <ol>
     * <li>the row is cut into R = 8 stripes; a lane-wise max per stripe gives R·lanes maxima of disjoint
     *     subsets (128 with 16-lane vectors), real elements all, so their k-th largest t is a lower bound
     *     of the row's k-th largest;</li>
     * <li>the elements >= t (k of them at least, ~1.2k typically) are collected by a vector compare and
     *     the heap runs over those only.</li>
     * </ol>
     * An element below t is beaten by k elements >= t, so it is in no top-k: the result is exactly
     * {@link #topK}'s (ties keep the lower index, as candidates arrive in index order). Falls back to
     * {@link #topKVector} when the row is too short for k maxima.
     *
     * @param scratch at least 8·lanes floats (the stripe maxima)
     */
    static int topKBounded(float[] v, int off, int n, int k, int[] idx, float[] val, float[] scratch) {
        int lanes = S.length(), stripe = S.loopBound(n / SEGMENTS);
        if (k > SEGMENTS * lanes / 2 || stripe < lanes) return topKVector(v, off, n, k, idx, val);
        // pass 1: stripe r covers [r·stripe, r·stripe + stripe); lane-wise maxima into scratch[r·lanes + lane]
        for (int r = 0; r < SEGMENTS; r++) {
            int from = off + r * stripe;
            FloatVector m = FloatVector.fromArray(S, v, from);
            for (int j = lanes; j < stripe; j += lanes) m = m.max(FloatVector.fromArray(S, v, from + j));
            m.intoArray(scratch, r * lanes);
        }
        int nMax = SEGMENTS * lanes;
        topK(scratch, 0, nMax, k, null, idx, val);
        float t = val[0]; // k-th largest maximum
        // pass 2: candidates >= t, in index order, then the exact heap over them
        int j = 0;
        int upper = S.loopBound(n);
        int size = 0;
        for (; j < upper; j += lanes) {
            FloatVector x = FloatVector.fromArray(S, v, off + j);
            long bits = x.compare(VectorOperators.GE, t).toLong();
            while (bits != 0) {
                int q = Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                size = push(v[off + j + q], j + q, k, size, idx, val);
            }
        }
        for (; j < n; j++) if (v[off + j] >= t) size = push(v[off + j], j, k, size, idx, val);
        return size;
    }

    /** Offers (x, j) to the min-heap of capacity k holding {@code size} entries; returns the new size. */
    private static int push(float x, int j, int k, int size, int[] idx, float[] val) {
        if (size < k) {
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (less(val[parent], idx[parent], x, j)) break;
                val[i] = val[parent];
                idx[i] = idx[parent];
                i = parent;
            }
            val[i] = x;
            idx[i] = j;
            return size;
        }
        return offer(x, j, k, size, idx, val);
    }

    /** The selection order: by value, and of equal values the lower index ranks higher (is kept). */
    private static boolean less(float va, int ia, float vb, int ib) {
        return va < vb || (va == vb && ia > ib);
    }

    /** Adds (x, j) to the full min-heap of size k when x beats its minimum. */
    private static int offer(float x, int j, int k, int size, int[] idx, float[] val) {
        if (less(val[0], idx[0], x, j)) {
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= k) break;
                if (c + 1 < k && less(val[c + 1], idx[c + 1], val[c], idx[c])) c++;
                if (less(x, j, val[c], idx[c])) break;
                val[i] = val[c];
                idx[i] = idx[c];
                i = c;
            }
            val[i] = x;
            idx[i] = j;
        }
        return size;
    }

    /**
     * The k largest of v[off, off + n) (among latents with mask[j], when mask is not null), by a
     * min-heap of size k; ties keep the lower index (a total order, so every method picks the same
     * set). Returns how many were found (k, or fewer eligible). Output order is the heap's, not sorted.
     */
    static int topK(float[] v, int off, int n, int k, boolean[] mask, int[] idx, float[] val) {
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (mask == null || mask[j]) size = push(v[off + j], j, k, size, idx, val);
        }
        return size;
    }
}
