package dev.lacuna.sae;

import dev.lacuna.kernel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * TopK SAE (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"): z = ReLU(TopK_k(pre)),
 * exactly k selected latents per token; dead latents are revived by aux_k (ibid., Appendix A.2).
 * The decoder forward and the whole backward pass touch only the k selected rows of W_dec / W_enc.
 */
public final class TopKSae extends SaeArchitecture {
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
            for (int b = s; b < e; b++) {
                int n = topKVector(pre, b * l, l, k, hi, hv);
                out.start[b] = b * k;
                out.len[b] = n;
                for (int q = 0; q < n; q++) {
                    out.idx[b * k + q] = hi[q];
                    out.val[b * k + q] = Math.max(0f, hv[q]);
                }
            }
        });
    }

    @Override
    protected double auxCoefficient() {
        return cfg.auxKCoefficient();
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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

    /** Adds (x, j) to the full min-heap of size k when x beats its minimum. */
    private static int offer(float x, int j, int k, int size, int[] idx, float[] val) {
        if (x > val[0]) {
            int i = 0;
            while (true) {
                int c = 2 * i + 1;
                if (c >= k) break;
                if (c + 1 < k && val[c + 1] < val[c]) c++;
                if (val[c] >= x) break;
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
     * min-heap of size k; ties keep the lower index. Returns how many were found (k, or fewer eligible).
     * Output order is the heap's, not sorted.
     */
    static int topK(float[] v, int off, int n, int k, boolean[] mask, int[] idx, float[] val) {
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (mask != null && !mask[j]) continue;
            float x = v[off + j];
            if (size < k) {
                // sift up
                int i = size++;
                while (i > 0) {
                    int parent = (i - 1) >>> 1;
                    if (val[parent] <= x) break;
                    val[i] = val[parent];
                    idx[i] = idx[parent];
                    i = parent;
                }
                val[i] = x;
                idx[i] = j;
            } else if (x > val[0]) {
                // replace the minimum, sift down
                int i = 0;
                while (true) {
                    int c = 2 * i + 1;
                    if (c >= k) break;
                    if (c + 1 < k && val[c + 1] < val[c]) c++;
                    if (val[c] >= x) break;
                    val[i] = val[c];
                    idx[i] = idx[c];
                    i = c;
                }
                val[i] = x;
                idx[i] = j;
            }
        }
        return size;
    }
}
