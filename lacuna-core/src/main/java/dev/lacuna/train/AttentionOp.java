// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Gemm;
import dev.lacuna.kernel.Ops;

/**
 * Dense softmax attention per sequence and head on the packed layout, and its backward.
 * Shapes: T packed tokens, C hidden, H heads of D = C / H, L one sequence's length; q, k, v, z are
 * [T, C] with head h in columns [h·D, (h+1)·D) and sequence s in rows [seqStarts[s], seqStarts[s+1]).
 * Per head: S = scale·Q·Kᵀ [L, L], P = softmax(S) by rows, Z = P·V [L, D].
 *
 * <p>The backward recomputes P (L² per head) instead of saving it. Each (sequence, head) writes its
 * own block of the outputs, so results do not depend on the team size.
 */
public final class AttentionOp {
    private AttentionOp() {}

    /**
     * z = attention(q, k, v).
     *
     * @param q         [T, C]
     * @param k         [T, C]
     * @param v         [T, C]
     * @param z         [T, C] overwritten
     * @param seqStarts [B + 1]
     */
    public static void forward(Parallel par, float[] q, float[] k, float[] v, float[] z, int[] seqStarts, int c, int h, float scale) {
        forward(par, q, k, v, z, seqStarts, c, h, scale, null);
    }

    /**
     * {@link #forward(Parallel, float[], float[], float[], float[], int[], int, int, float)} that also
     * saves every head's P for the backward.
     *
     * @param probs [{@link #probsLength}] receives P of (sequence s, head j) at {@link #probsOffset}, or null
     */
    public static void forward(Parallel par, float[] q, float[] k, float[] v, float[] z, int[] seqStarts, int c, int h, float scale,
                               float[] probs) {
        int d = c / h, seqs = seqStarts.length - 1, maxLen = maxLength(seqStarts);
        par.forChunks(seqs * h, Math.max(1, seqs * h / (4 * par.threads())), (s, e) -> {
            float[] scratch = probs == null ? new float[maxLen * maxLen] : null;   // one per chunk
            for (int w = s; w < e; w++) {
                int start = seqStarts[w / h], len = seqStarts[w / h + 1] - start, off = start * c + (w % h) * d;
                float[] p = probs == null ? scratch : probs;
                int po = probs == null ? 0 : probsOffset(seqStarts, h, w);
                probabilities(q, k, off, len, c, d, scale, p, po);
                Gemm.matmulRaw(p, po, len, v, off, c, z, off, c, len, d, len, 1f, false);     // Z = P·V
            }
        });
    }

    /** Floats of every head's P: Σ_s H·L_s². */
    public static int probsLength(int[] seqStarts, int h) {
        long n = 0;
        for (int s = 0; s + 1 < seqStarts.length; s++) {
            long len = seqStarts[s + 1] - seqStarts[s];
            n += h * len * len;
        }
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("attention: " + n + " probabilities are too many to save");
        return (int) n;
    }

    /** Where P [L, L] of work item w = s·H + head starts in {@code probs}: sequences in order, heads within. */
    static int probsOffset(int[] seqStarts, int h, int w) {
        int seq = w / h, o = 0;
        for (int s = 0; s < seq; s++) {
            int len = seqStarts[s + 1] - seqStarts[s];
            o += h * len * len;
        }
        int len = seqStarts[seq + 1] - seqStarts[seq];
        return o + (w % h) * len * len;
    }

    private static int maxLength(int[] seqStarts) {
        int m = 0;
        for (int s = 0; s + 1 < seqStarts.length; s++) m = Math.max(m, seqStarts[s + 1] - seqStarts[s]);
        return m;
    }

    /**
     * dV = Pᵀ·dZ; dP = dZ·Vᵀ; dS = P ⊙ (dP − rowsum(P ⊙ dP)); dQ = scale·dS·K; dK = scale·dSᵀ·Q.
     *
     * @param dz [T, C] gradient on z
     * @param dq [T, C] overwritten
     * @param dk [T, C] overwritten
     * @param dv [T, C] overwritten
     */
    public static void backward(Parallel par, float[] q, float[] k, float[] v, float[] dz, int[] seqStarts, int c, int h,
                                float scale, float[] dq, float[] dk, float[] dv) {
        backward(par, q, k, v, dz, seqStarts, c, h, scale, dq, dk, dv, null);
    }

    /**
     * The backward with P saved by the forward ({@code probs}, as there), or recomputed when null.
     * Scratch is one set of [L, L] arrays per thread's chunk, not per head.
     */
    public static void backward(Parallel par, float[] q, float[] k, float[] v, float[] dz, int[] seqStarts, int c, int h,
                                float scale, float[] dq, float[] dk, float[] dv, float[] probs) {
        int d = c / h, seqs = seqStarts.length - 1, maxLen = maxLength(seqStarts);
        par.forChunks(seqs * h, Math.max(1, seqs * h / (4 * par.threads())), (s, e) -> {
            float[] own = probs == null ? new float[maxLen * maxLen] : null;
            float[] tr = new float[maxLen * maxLen], dp = new float[maxLen * maxLen];
            for (int w = s; w < e; w++) {
                int start = seqStarts[w / h], len = seqStarts[w / h + 1] - start, off = start * c + (w % h) * d;
                float[] p = probs == null ? own : probs;
                int po = probs == null ? 0 : probsOffset(seqStarts, h, w);
                if (probs == null) probabilities(q, k, off, len, c, d, scale, p, 0);              // [L, L]
                transpose(p, po, len, tr);
                Gemm.matmulRaw(tr, 0, len, dz, off, c, dv, off, c, len, d, len, 1f, false);         // dV = Pᵀ·dZ
                Gemm.matmulRawTransB(dz, off, c, v, off, c, dp, 0, len, len, len, d, 1f, false);   // dP = dZ·Vᵀ
                for (int i = 0; i < len; i++) {
                    int o = i * len, pi = po + i * len;
                    double dot = 0;
                    for (int j = 0; j < len; j++) dot += (double) p[pi + j] * dp[o + j];
                    for (int j = 0; j < len; j++) dp[o + j] = (float) (p[pi + j] * (dp[o + j] - dot));
                }
                Gemm.matmulRaw(dp, 0, len, k, off, c, dq, off, c, len, d, len, scale, false);       // dQ = scale·dS·K
                transpose(dp, 0, len, tr);
                Gemm.matmulRaw(tr, 0, len, q, off, c, dk, off, c, len, d, len, scale, false);       // dK = scale·dSᵀ·Q
            }
        });
    }

    /** out[0, L²) = aᵀ of the [L, L] block at a[ao]. */
    private static void transpose(float[] a, int ao, int len, float[] out) {
        for (int i = 0; i < len; i++) {
            int r = ao + i * len;
            for (int j = 0; j < len; j++) out[j * len + i] = a[r + j];
        }
    }

    /** P [L, L] = softmax(scale · Q·Kᵀ) of one head into p[po, po + L²), Q and K read in place at {@code off} with stride C. */
    private static void probabilities(float[] q, float[] k, int off, int len, int c, int d, float scale, float[] p, int po) {
        Gemm.matmulRawTransB(q, off, c, k, off, c, p, po, len, len, len, d, scale, false);
        for (int i = 0; i < len; i++) Ops.softmax(p, po + i * len, len);
    }
}
