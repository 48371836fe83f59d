// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Gemm;
import dev.lacuna.kernel.Ops;
import dev.lacuna.kernel.PackedMatrix;

/**
 * What every SAE architecture shares: the encoder GEMM, the sparse decoder, the reconstruction loss
 * and its hand-written backward pass; a subclass chooses which (token, latent) pairs are active
 * ({@link #select}) and adds its own penalty.
 *
 * <p>Shapes: B rows (tokens) of a batch, D = d_in, L = d_sae, E active entries (B·k for TopK).
 * <pre>
 *   xc   = x − b_dec                         [B, D]
 *   pre  = xc · W_encᵀ + b_enc               [B, L]   dense GEMM (kernel.Gemm, Vector API, thread team)
 *   z    = select(pre)                       E entries (Codes), z = pre on the entry (ReLU'd)
 *   x̂    = b_dec + Σ_entries z · W_dec[j]    [B, D]   touches only the E active rows of W_dec
 *   loss = (1/B) Σ_b ||x̂_b − x_b||² + penalty (+ auxiliary loss)
 * </pre>
 * The backward pass is sparse too: dL/dz, dW_dec, dW_enc and db_enc are non-zero only on active
 * entries, so it costs O(E·D) instead of O(B·L·D); only the forward encoder GEMM is dense.
 */
public abstract class SaeArchitecture {
    protected final SaeConfig cfg;
    /** Multiplier of the sparsity coefficient (λ warm-up); set by the trainer before each step, 1 otherwise. */
    double penaltyScale = 1;

    protected SaeArchitecture(SaeConfig cfg) {
        this.cfg = cfg;
    }

    public SaeConfig config() {
        return cfg;
    }

    /** The architecture {@code cfg} names ({@link SaeArchitectures}). */
    public static SaeArchitecture of(SaeConfig cfg) {
        return cfg.kind().create(cfg);
    }

    /** Training-time selection of active entries from pre [rows, L]; values are max(pre, 0) or pre. */
    protected abstract void select(Parallel par, float[] pre, int rows, SaeParams p, Codes out);

    /** Inference-time selection (per token, so that a spliced SAE does not depend on the batch); default: as in training. */
    protected void selectInference(Parallel par, float[] pre, int rows, SaeParams p, Codes out) {
        select(par, pre, rows, p, out);
    }

    /** Whether the trainer keeps decoder rows at unit norm (all but relu, whose penalty uses the norms). */
    public boolean unitNormDecoder() {
        return true;
    }

    /**
     * Of an architecture without k ({@link SaeKind#usesK}): sets latent j's gate to open at
     * pre-activation {@code q} (before b_enc), the trainer's data-driven start.
     */
    protected void startGate(SaeParams p, int j, float q) {
        throw new IllegalStateException(cfg.architecture() + " has k, not a gate to start");
    }

    /** The knob that sets the sparsity, as reports show it: {@code k=32}, or the L1 / L0 coefficient. */
    public String sparsitySetting() {
        return "k=" + cfg.k();
    }

    /** Extra loss and its gradients (L1, L0, ...); called after the reconstruction backward. */
    protected double penalty(Parallel par, SaeParams p, Work w, SaeParams g) {
        return 0;
    }

    /** Per-latent constant added to dL/dz of every active entry (e.g. an L1 penalty); null for none. */
    protected float[] codeGradientOffset(SaeParams p, int rows) {
        return null;
    }

    /**
     * Re-estimates inference thresholds at the final weights from calibration batches x [batches·rows, D]
     * (the running estimate lags while activations drift during training); no-op by default.
     */
    protected void calibrate(Parallel par, SaeParams p, float[] x, int batches, int rows) {
    }

    /** Updates non-gradient state (inference thresholds) after an optimiser step. */
    protected void afterStep(SaeParams p, Codes codes, long step) {
    }

    /** Buffers of one batch, reused across steps. */
    public static final class Work {
        int rows;
        float[] x, xc, pre, xhat, err, auxRes;
        final Codes codes = new Codes(), aux = new Codes();
        int[] colPtr = new int[0], colEntry = new int[0];
        /** Wall time per part when not null ({@code sae train --profile}). */
        public dev.lacuna.model.Profile profile;

        void lap(String part) {
            if (profile != null) profile.lap(part);
        }

        Work ensure(int rows, int dIn, int dSae) {
            this.rows = rows;
            if (xc == null || xc.length < rows * dIn) {
                xc = new float[rows * dIn];
                xhat = new float[rows * dIn];
                err = new float[rows * dIn];
                auxRes = new float[rows * dIn];
            }
            if (pre == null || pre.length < (long) rows * dSae) pre = new float[rows * dSae];
            if (colPtr.length < dSae + 1) colPtr = new int[dSae + 1];
            return this;
        }

        public Codes codes() {
            return codes;
        }

        public float[] reconstruction() {
            return xhat;
        }
    }

    /** Loss parts of one batch. */
    public record Losses(double mse, double penalty, double aux, double sumSqErr, long nonZero) {
        public double total() {
            return mse + penalty + aux;
        }
    }

    /** pre = (x − b_dec) · W_encᵀ + b_enc. */
    static void encodePre(Parallel par, SaeParams p, float[] x, int rows, Work w) {
        int d = p.dIn;
        par.forRange(rows, 64, (s, e) -> {
            for (int b = s; b < e; b++) for (int i = 0; i < d; i++) w.xc[b * d + i] = x[b * d + i] - p.bDec[i];
        });
        PackedMatrix enc = p.packedEnc(par);
        if (w.profile != null) w.profile.lap("pack_encoder");
        Gemm.matmul(par, w.xc, rows, enc, p.bEnc, w.pre);
    }

    /** x̂ = b_dec + Σ z · W_dec[j] over the active entries of each row. */
    static void decode(Parallel par, SaeParams p, Codes c, int rows, float[] xhat) {
        int d = p.dIn;
        par.forRange(rows, 16, (s, e) -> {
            for (int b = s; b < e; b++) {
                System.arraycopy(p.bDec, 0, xhat, b * d, d);
                for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) {
                    float z = c.val[q];
                    if (z != 0f) Ops.axpy(z, p.wDec, c.idx[q] * d, xhat, b * d, d);
                }
            }
        });
    }

    /** Inference: codes of rows of x [rows, D]. */
    public void encode(Parallel par, SaeParams p, float[] x, int rows, Work w) {
        w.ensure(rows, p.dIn, p.dSae);
        encodePre(par, p, x, rows, w);
        selectInference(par, w.pre, rows, p, w.codes);
    }

    /** Inference: codes and reconstruction (in w.xhat) of rows of x [rows, D]. */
    public void reconstruct(Parallel par, SaeParams p, float[] x, int rows, Work w) {
        encode(par, p, x, rows, w);
        decode(par, p, w.codes, rows, w.xhat);
    }

    /**
     * Loss of a batch and, when {@code g} is not null, its gradients added into {@code g} (zeroed by the caller).
     *
     * @param x       [rows, D] (already normalised by the trainer)
     * @param auxMask [L] latents eligible for the auxiliary loss (dead / under-used), or null
     */
    public Losses forwardBackward(Parallel par, SaeParams p, float[] x, int rows, SaeParams g, boolean[] auxMask, Work w) {
        final int d = p.dIn, l = p.dSae;
        w.ensure(rows, d, l);
        w.x = x;
        if (w.profile != null) w.profile.start();
        encodePre(par, p, x, rows, w);
        w.lap("encoder_gemm");
        Codes c = w.codes;
        select(par, w.pre, rows, p, c);
        w.lap("select");
        decode(par, p, c, rows, w.xhat);
        w.lap("sparse_decode");
        float[] err = w.err;
        double[] rowSq = new double[rows];
        par.forRange(rows, 64, (s, e) -> {
            for (int b = s; b < e; b++) {
                double acc = 0;
                for (int i = 0; i < d; i++) {
                    float r = w.xhat[b * d + i] - x[b * d + i];
                    err[b * d + i] = r;
                    acc += (double) r * r;
                }
                rowSq[b] = acc;
            }
        });
        double sumSq = 0;
        for (double v : rowSq) sumSq += v;
        long nz = c.nonZero();
        double mse = sumSq / rows;
        if (g == null) {
            double pen = penalty(par, p, w, null);
            return new Losses(mse, pen, 0, sumSq, nz);
        }
        final float two = 2f / rows;
        float[] off = codeGradientOffset(p, rows);
        // dL/dpre of each active entry: (2/B) e_b · W_dec[j] (+ penalty), gated by z > 0
        par.forRange(rows, 16, (s, e) -> {
            for (int b = s; b < e; b++) {
                for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) {
                    int j = c.idx[q];
                    c.grad[q] = c.val[q] > 0 ? two * Ops.dot(err, b * d, p.wDec, j * d, d) + (off == null ? 0f : off[j]) : 0f;
                }
            }
        });
        w.lap("loss_dz");
        double aux = 0;
        boolean useAux = auxMask != null && auxCoefficient() > 0;
        if (useAux) aux = auxForward(par, p, rows, auxMask, w);
        w.lap("aux_forward");
        accumulateLatentGrads(par, p, g, w, c, err, two);
        w.lap("sparse_backward");
        // db_dec = Σ_b (2/B) e_b − Σ_j (Σ_b dL/dpre_bj) W_enc[j]; the second sum is g.bEnc so far
        float[] gbEncMain = g.bEnc.clone();
        // columns split over the team; within a column slice rows and latents are summed in order (deterministic)
        par.forRange(d, 32, (s, e) -> {
            float[] acc = new float[e - s];
            for (int b = 0; b < rows; b++) Ops.axpy(1f, err, b * d + s, acc, 0, e - s);
            for (int i = s; i < e; i++) g.bDec[i] += two * acc[i - s];
            for (int j = 0; j < l; j++) if (gbEncMain[j] != 0f) Ops.axpy(-gbEncMain[j], p.wEnc, j * d + s, g.bDec, s, e - s);
        });
        w.lap("b_dec_grad");
        if (useAux) accumulateLatentGrads(par, p, g, w, w.aux, w.auxRes, (float) (auxCoefficient() * two));
        w.lap("aux_backward");
        double pen = penalty(par, p, w, g);
        w.lap("penalty");
        return new Losses(mse, pen, aux, sumSq, nz);
    }

    /** α of the architecture's auxiliary loss ({@link SaeKind#aux}). */
    private double auxCoefficient() {
        return switch (cfg.kind().aux()) {
            case NONE -> 0;
            case AUX_K -> cfg.auxKCoefficient();
            case AUX_ZIPF -> cfg.auxZipfCoefficient();
        };
    }

    /**
     * Auxiliary loss (Gao et al. 2024, Appendix A.2): the top-k_aux eligible latents of each row
     * reconstruct the main reconstruction's residual; the residual is a constant (detached) and
     * b_dec gets no gradient from it. Fills w.aux (with dL/dpre) and w.auxRes = ê + e.
     */
    private double auxForward(Parallel par, SaeParams p, int rows, boolean[] mask, Work w) {
        int d = p.dIn, l = p.dSae, ka = cfg.auxK();
        Codes a = w.aux;
        a.ensure(rows, rows * ka);
        double[] rowSq = new double[rows];
        float alpha2 = (float) (auxCoefficient() * 2.0 / rows);
        par.forRange(rows, 16, (s, e) -> {
            int[] heapIdx = new int[ka];
            float[] heapVal = new float[ka];
            for (int b = s; b < e; b++) {
                int n = TopKSae.topK(w.pre, b * l, l, ka, mask, heapIdx, heapVal);
                a.start[b] = b * ka;
                a.len[b] = n;
                int o = b * d;
                System.arraycopy(w.err, o, w.auxRes, o, d);
                for (int q = 0; q < n; q++) {
                    a.idx[b * ka + q] = heapIdx[q];
                    float z = Math.max(0f, heapVal[q]);
                    a.val[b * ka + q] = z;
                    if (z != 0f) Ops.axpy(z, p.wDec, heapIdx[q] * d, w.auxRes, o, d);
                }
                double acc = 0;
                for (int i = 0; i < d; i++) acc += (double) w.auxRes[o + i] * w.auxRes[o + i];
                rowSq[b] = acc;
                for (int q = 0; q < n; q++) {
                    int at = b * ka + q;
                    a.grad[at] = a.val[at] > 0 ? alpha2 * Ops.dot(w.auxRes, o, p.wDec, a.idx[at] * d, d) : 0f;
                }
            }
        });
        double sum = 0;
        for (double v : rowSq) sum += v;
        return auxCoefficient() * sum / rows;
    }

    /**
     * Per latent j over its active entries (b, z, dL/dpre): dW_dec[j] += scale Σ z · res_b,
     * dW_enc[j] += Σ dL/dpre · xc_b, db_enc[j] += Σ dL/dpre. Entries are grouped by latent (a counting
     * sort), and each latent is summed by one thread in row order: deterministic for any team size.
     */
    private static void accumulateLatentGrads(Parallel par, SaeParams p, SaeParams g, Work w, Codes c, float[] res, float scale) {
        int d = p.dIn, l = p.dSae, rows = c.rows;
        int[] colPtr = w.colPtr;
        java.util.Arrays.fill(colPtr, 0, l + 1, 0);
        int nnz = 0;
        for (int b = 0; b < rows; b++) {
            for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) colPtr[c.idx[q] + 1]++;
            nnz += c.len[b];
        }
        for (int j = 0; j < l; j++) colPtr[j + 1] += colPtr[j];
        if (w.colEntry.length < nnz) w.colEntry = new int[nnz];
        int[] colEntry = w.colEntry;
        int[] fill = new int[l];
        for (int b = 0; b < rows; b++) {
            for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) {
                int j = c.idx[q];
                colEntry[colPtr[j] + fill[j]++] = q;
            }
        }
        int[] rowOf = new int[c.idx.length];
        for (int b = 0; b < rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) rowOf[q] = b;
        par.forRange(l, 64, (s, e) -> {
            for (int j = s; j < e; j++) {
                for (int t = colPtr[j]; t < colPtr[j + 1]; t++) {
                    int q = colEntry[t];
                    int b = rowOf[q];
                    float z = c.val[q], gp = c.grad[q];
                    if (z != 0f) Ops.axpy(scale * z, res, b * d, g.wDec, j * d, d);
                    if (gp != 0f) {
                        Ops.axpy(gp, w.xc, b * d, g.wEnc, j * d, d);
                        g.bEnc[j] += gp;
                    }
                }
            }
        });
    }
}
