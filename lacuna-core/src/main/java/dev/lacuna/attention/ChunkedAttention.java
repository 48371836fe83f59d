// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Arrays;

/**
 * DHSA, dynamic hierarchical sparse attention (2025): the sequence is cut into variable-length
 * chunks where consecutive keys stop resembling each other; each chunk is summarised by its mean
 * query and mean key scaled by √(chunk length) (the paper's length-normalised aggregation); the
 * chunk-to-chunk similarity, upsampled to every token pair of the two chunks, ranks key chunks for
 * each query chunk, and exact attention runs over the best chunks (plus the query's own and the
 * first). The budget is a number of keys (k), or an estimated softmax mass.
 */
public final class ChunkedAttention extends AbstractKernel {
    private final int min, max;
    private final double mass;
    private final int k;
    private final boolean causal;

    /**
     * @param min  shortest chunk
     * @param max  longest chunk (at most 1024)
     * @param mass estimated softmax mass to keep per query chunk (when k = 0)
     * @param k    keys to keep per query chunk, or 0
     */
    public ChunkedAttention(int min, int max, double mass, int k, boolean causal) {
        if (max > 1024) throw new IllegalArgumentException("max chunk must be <= 1024, got " + max);
        this.min = min;
        this.max = max;
        this.mass = mass;
        this.k = k;
        this.causal = causal;
    }

    @Override
    public String name() {
        return "dhsa";
    }

    @Override
    public long attendRows(float[] q, float[] kk, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        e.begin(q, kk, v, out, stride, start, length, col, headDim, scale, max, FlashAttention.TILE);
        int d = headDim;
        int[] bounds = chunks(kk, stride, start, length, col, d);
        int nc = bounds.length - 1;
        float qscale = e.log2Scale();
        float[] qc = new float[nc * d], kc = new float[nc * d];
        for (int c = 0; c < nc; c++) {
            int a = bounds[c], b = bounds[c + 1];
            float norm = (float) (Math.sqrt(b - a) / (b - a));
            for (int j = a; j < b; j++) {
                int o = (start + j) * stride + col;
                for (int dd = 0; dd < d; dd++) {
                    qc[c * d + dd] += q[o + dd];
                    kc[c * d + dd] += kk[o + dd];
                }
            }
            for (int dd = 0; dd < d; dd++) {
                qc[c * d + dd] *= norm * qscale;
                kc[c * d + dd] *= norm;
            }
        }
        KeyRanges kr = ws.ranges;
        double[] est = new double[nc];
        long[] order = new long[nc];
        for (int c = 0; c < nc; c++) {
            int a = Math.max(bounds[c], rowFrom), b = Math.min(bounds[c + 1], rowTo);
            if (a >= b) continue;
            int qlen = bounds[c + 1] - bounds[c];
            int usable = nc;
            if (causal) while (usable > 0 && bounds[usable - 1] > b - 1) usable--;
            double mx = Double.NEGATIVE_INFINITY;
            for (int x = 0; x < usable; x++) {
                double s = 0;
                for (int dd = 0; dd < d; dd++) s += (double) qc[c * d + dd] * kc[x * d + dd];
                int klen = bounds[x + 1] - bounds[x];
                // per-token logit of the mean query and mean key, plus log2 of the keys it stands for
                est[x] = s / Math.sqrt((double) qlen * klen) + Math.log(klen) / Math.log(2);
                mx = Math.max(mx, est[x]);
                int bits = Float.floatToIntBits((float) s);
                order[x] = ((long) (bits ^ ((bits >> 31) & 0x7fffffff)) << 32) | x;
            }
            double z = 0;
            for (int x = 0; x < usable; x++) z += Math.pow(2, est[x] - mx);
            Arrays.sort(order, 0, usable); // by similarity, chunk index in the low bits
            boolean[] keep = new boolean[usable];
            keep[Math.min(c, usable - 1)] = true;
            keep[0] = true;
            double got = 0;
            long keys = 0;
            for (int x = 0; x < usable; x++) {
                if (!keep[x]) continue;
                keys += bounds[x + 1] - bounds[x];
                got += Math.pow(2, est[x] - mx);
            }
            for (int r = usable - 1; r >= 0; r--) {
                if (k > 0 ? keys >= k : got >= mass * z) break;
                int x = (int) order[r];
                if (keep[x]) continue;
                keep[x] = true;
                keys += bounds[x + 1] - bounds[x];
                got += Math.pow(2, est[x] - mx);
            }
            kr.clear();
            for (int x = 0; x < usable; x++) if (keep[x]) kr.add(bounds[x], bounds[x + 1], true, length);
            kr.normalize();
            e.beginTile(a, b - a);
            e.keys(kr, null, causal);
            e.endTile(lse);
        }
        return e.kept();
    }

    /**
     * Chunk boundaries [0 = b0 < b1 < ... = n]: a chunk ends where the cosine similarity of
     * consecutive keys falls below its median over the sequence (once the chunk has {@code min}
     * tokens), or when it reaches {@code max} tokens.
     */
    int[] chunks(float[] k, int stride, int start, int n, int col, int d) {
        float[] cos = new float[n];
        for (int j = 1; j < n; j++) {
            int a = (start + j - 1) * stride + col, b = (start + j) * stride + col;
            double ab = 0, aa = 0, bb = 0;
            for (int dd = 0; dd < d; dd++) {
                ab += (double) k[a + dd] * k[b + dd];
                aa += (double) k[a + dd] * k[a + dd];
                bb += (double) k[b + dd] * k[b + dd];
            }
            cos[j] = (float) (ab / Math.sqrt(aa * bb + 1e-30));
        }
        float tau = 0;
        if (n > 1) {
            float[] c = Arrays.copyOfRange(cos, 1, n);
            Arrays.sort(c);
            tau = c[c.length / 2];
        }
        int[] b = new int[n + 1];
        int nb = 0, s = 0;
        b[nb++] = 0;
        for (int j = 1; j < n; j++) {
            int len = j - s;
            if (len >= max || (len >= min && cos[j] < tau)) {
                b[nb++] = j;
                s = j;
            }
        }
        b[nb++] = n;
        return Arrays.copyOf(b, nb);
    }
}
