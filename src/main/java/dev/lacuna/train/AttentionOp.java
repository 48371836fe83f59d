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
        int d = c / h, seqs = seqStarts.length - 1;
        par.forRange(seqs * h, (s, e) -> {
            for (int w = s; w < e; w++) {
                int start = seqStarts[w / h], len = seqStarts[w / h + 1] - start, off = start * c + (w % h) * d;
                float[] p = probabilities(q, k, off, len, c, d, scale);
                Gemm.matmulRaw(p, 0, len, v, off, c, z, off, c, len, d, len, 1f, false);     // Z = P·V
            }
        });
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
        int d = c / h, seqs = seqStarts.length - 1;
        par.forRange(seqs * h, (s, e) -> {
            for (int w = s; w < e; w++) {
                int start = seqStarts[w / h], len = seqStarts[w / h + 1] - start, off = start * c + (w % h) * d;
                float[] p = probabilities(q, k, off, len, c, d, scale);                          // [L, L]
                float[] pt = LinearOp.transpose(p, len, len);
                Gemm.matmulRaw(pt, 0, len, dz, off, c, dv, off, c, len, d, len, 1f, false);         // dV = Pᵀ·dZ
                float[] dp = new float[len * len];
                Gemm.matmulRawTransB(dz, off, c, v, off, c, dp, 0, len, len, len, d, 1f, false);   // dP = dZ·Vᵀ
                for (int i = 0; i < len; i++) {
                    int o = i * len;
                    double dot = 0;
                    for (int j = 0; j < len; j++) dot += (double) p[o + j] * dp[o + j];
                    for (int j = 0; j < len; j++) dp[o + j] = (float) (p[o + j] * (dp[o + j] - dot));
                }
                Gemm.matmulRaw(dp, 0, len, k, off, c, dq, off, c, len, d, len, scale, false);       // dQ = scale·dS·K
                float[] dst = LinearOp.transpose(dp, len, len);
                Gemm.matmulRaw(dst, 0, len, q, off, c, dk, off, c, len, d, len, scale, false);      // dK = scale·dSᵀ·Q
            }
        });
    }

    /** P [L, L] = softmax(scale · Q·Kᵀ) of one head, Q and K read in place at {@code off} with stride C. */
    private static float[] probabilities(float[] q, float[] k, int off, int len, int c, int d, float scale) {
        float[] p = new float[len * len];
        Gemm.matmulRawTransB(q, off, c, k, off, c, p, 0, len, len, len, d, scale, false);
        for (int i = 0; i < len; i++) Ops.softmax(p, i * len, len);
        return p;
    }
}
