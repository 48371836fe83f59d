// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.MaskSelection;
import dev.lacuna.sparse.SparsityPattern;

/**
 * SparseGPT (Frantar and Alistarh 2023, "SparseGPT: Massive Language Models Can Be Accurately Pruned in
 * One-Shot", Algorithm 1), following the reference {@code fasterprune}: H = 2 X Xᵀ, dampened by
 * {@code dampening} x mean(diag H), U = upper Cholesky factor of H⁻¹; columns are visited in blocks of
 * {@code blockSize}; at the start of each block the mask is chosen by w² / U_cc² (adaptive mask
 * selection; for N:M, per group of M when its first column is reached), each column is zeroed where
 * pruned and its error is spread over the block's later columns, and the block's errors update the
 * remaining columns in one batched product (lazy updates).
 *
 * <p>Shapes: W [N, K], H and U [K, K]. Computation is in double; W' is rounded to float at the end.
 *
 * <p>One deliberate difference from the reference: it prunes {@code w²/U_cc² <= sorted[int(s·size)]}, one
 * weight more than asked per block; here each block prunes exactly its share of round(s·N·K).
 */
public final class SparseGptPruner implements LayerPruner {
    /** The reference's default {@code percdamp}. */
    public static final double DEFAULT_DAMPENING = 0.01;
    /** The reference's default {@code blocksize}. */
    public static final int DEFAULT_BLOCK_SIZE = 128;

    private final double dampening;
    private final int blockSize;

    public SparseGptPruner(double dampening, int blockSize) {
        if (!(dampening >= 0) || Double.isInfinite(dampening)) throw new LacunaException("dampening must be >= 0, got " + dampening);
        if (blockSize < 1) throw new LacunaException("block_size must be >= 1, got " + blockSize);
        this.dampening = dampening;
        this.blockSize = blockSize;
    }

    public SparseGptPruner() {
        this(DEFAULT_DAMPENING, DEFAULT_BLOCK_SIZE);
    }

    @Override
    public PrunedLayer prune(Parallel par, LayerTask t) {
        return run(par, t, null);
    }

    /** Keeps exactly the weights of {@code mask} and updates them to reconstruct the dense output (OBS update only). */
    public PrunedLayer reconstruct(Parallel par, LayerTask t, Mask mask) {
        if (mask.rows() != t.rows() || mask.cols() != t.cols()) {
            throw new IllegalArgumentException(t.name() + ": mask [" + mask.rows() + ", " + mask.cols() + "] does not match [" + t.rows() + ", " + t.cols() + "]");
        }
        return run(par, t, mask);
    }

    private PrunedLayer run(Parallel par, LayerTask t, Mask fixed) {
        final int n = t.rows(), k = t.cols();
        InputStats st = t.requireStats("sparsegpt");
        SparsityPattern pattern = t.pattern();
        if (fixed == null) {
            if (pattern instanceof SparsityPattern.NofM nm && blockSize % nm.m() != 0) {
                throw new LacunaException("sparsegpt: block_size " + blockSize + " must be a multiple of M = " + nm.m() + " for pattern " + nm.spelling());
            }
            if (pattern instanceof SparsityPattern.Block b && blockSize % b.cols() != 0) {
                throw new LacunaException("sparsegpt: block_size " + blockSize + " must be a multiple of the block width " + b.cols() + " for pattern " + b.spelling());
            }
        }

        // H = 2 X Xᵀ / tokens (the scale does not change the result; it keeps the numbers near 1)
        double[] g = st.gram();
        double[] h = new double[k * k];
        double scale = st.tokens() == 0 ? 1 : 2.0 / st.tokens();
        for (int i = 0; i < h.length; i++) h[i] = g[i] * scale;
        final double[] w = new double[n * k];
        float[] w0 = t.weight();
        for (int i = 0; i < w.length; i++) w[i] = w0[i];
        double meanDiag = 0;
        for (int j = 0; j < k; j++) {
            if (h[j * k + j] == 0) { // dead input: never active, its weights cannot matter
                h[j * k + j] = 1;
                for (int r = 0; r < n; r++) w[r * k + j] = 0;
            }
            meanDiag += h[j * k + j];
        }
        meanDiag /= k;
        double damp = dampening * meanDiag;
        for (int j = 0; j < k; j++) h[j * k + j] += damp;
        final double[] u = Cholesky.upperFactorOfInverse(par, h, k);

        final boolean[] kept = new boolean[n * k];
        final int nofM = fixed == null && pattern instanceof SparsityPattern.NofM nm ? nm.m() : 0;
        final int keepOfM = fixed == null && pattern instanceof SparsityPattern.NofM nm ? nm.n() : 0;
        for (int i1 = 0; i1 < k; i1 += blockSize) {
            final int c0 = i1, c1 = Math.min(k, i1 + blockSize), bs = c1 - c0;
            if (fixed != null) {
                for (int r = 0; r < n; r++) for (int c = c0; c < c1; c++) kept[r * k + c] = fixed.isKept(r, c);
            } else if (nofM == 0) {
                selectBlock(w, u, n, k, c0, c1, t.sparsity(), pattern, kept);
            }
            par.forRange(n, 4, (s, e) -> {
                double[] err = new double[bs];
                double[] tmp = new double[nofM];
                boolean[] gk = new boolean[nofM];
                for (int r = s; r < e; r++) {
                    int o = r * k;
                    for (int i = 0; i < bs; i++) {
                        int c = c0 + i;
                        if (nofM > 0 && i % nofM == 0) selectGroup(w, u, k, o, c, nofM, keepOfM, tmp, gk, kept);
                        double d = u[c * k + c];
                        double wc = w[o + c];
                        double q = kept[o + c] ? wc : 0;
                        double e1 = (wc - q) / d;
                        w[o + c] = q;
                        err[i] = e1;
                        if (e1 != 0) {
                            int uo = c * k;
                            for (int j = c + 1; j < c1; j++) w[o + j] -= e1 * u[uo + j];
                        }
                    }
                    // lazy batched update of the columns after the block: W[:, c1:] -= Err · U[c0:c1, c1:]
                    for (int i = 0; i < bs; i++) {
                        double e1 = err[i];
                        if (e1 == 0) continue;
                        int uo = (c0 + i) * k;
                        for (int j = c1; j < k; j++) w[o + j] -= e1 * u[uo + j];
                    }
                }
            });
        }
        float[] out = new float[n * k];
        for (int i = 0; i < out.length; i++) out[i] = kept[i] ? (float) w[i] : 0f;
        return new PrunedLayer(fixed != null ? fixed : Mask.of(kept, n, k), out);
    }

    /** Unstructured or block selection over columns [c0, c1) by w² / U_cc²; this block's exact share of zeros. */
    private static void selectBlock(double[] w, double[] u, int n, int k, int c0, int c1, double s,
                                    SparsityPattern pattern, boolean[] kept) {
        int bs = c1 - c0;
        double[] score = new double[n * bs];
        for (int r = 0; r < n; r++) {
            for (int c = c0; c < c1; c++) {
                double d = u[c * k + c], x = w[r * k + c];
                score[r * bs + c - c0] = x * x / (d * d);
            }
        }
        boolean[] bk = new boolean[n * bs];
        switch (pattern) {
            case SparsityPattern.Unstructured un -> {
                long z = MaskSelection.zeros(s, (long) n * c1) - MaskSelection.zeros(s, (long) n * c0);
                MaskSelection.pruneLowest(score, z, bk);
            }
            case SparsityPattern.Block b -> {
                long rowsOfBlocks = n / b.rows();
                long z = MaskSelection.zeros(s, rowsOfBlocks * (c1 / b.cols())) - MaskSelection.zeros(s, rowsOfBlocks * (c0 / b.cols()));
                MaskSelection.pruneBlocks(score, n, bs, b.rows(), b.cols(), z, bk);
            }
            case SparsityPattern.NofM nm -> throw new IllegalStateException("N:M is selected per group");
        }
        for (int r = 0; r < n; r++) System.arraycopy(bk, r * bs, kept, r * k + c0, bs);
    }

    /** Of row o's inputs [c, c + m), keeps the {@code keep} with the highest w² / U_cc² (ties: the earlier is pruned). */
    private static void selectGroup(double[] w, double[] u, int k, int o, int c, int m, int keep, double[] tmp,
                                    boolean[] groupKept, boolean[] kept) {
        for (int j = 0; j < m; j++) {
            double d = u[(c + j) * k + c + j], x = w[o + c + j];
            tmp[j] = x * x / (d * d);
        }
        MaskSelection.pruneNofM(tmp, 1, m, keep, m, 0, m, groupKept);
        System.arraycopy(groupKept, 0, kept, o + c, m);
    }
}
