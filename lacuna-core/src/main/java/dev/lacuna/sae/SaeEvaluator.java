// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.StsbEvaluator;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.eval.Vectors;
import dev.lacuna.io.Progress;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates an SAE: reconstruction (MSE per element, fraction of variance explained, mean L0, dead and
 * dense latents) on store rows, and downstream fidelity: the reconstruction spliced into the model at
 * its hook point (the encoder's analogue of SAELens's CE-loss score), compared by the cosine of pooled
 * embeddings and the STS-B Spearman change.
 */
public final class SaeEvaluator {
    /** A latent is dense when it fires on more than this fraction of tokens (SAELens's feature-density cut). */
    public static final double DENSE_FRACTION = 0.1;

    private SaeEvaluator() {}

    /**
     * @param fve        1 − Σ||x − x̂||² / Σ||x − mean||²
     * @param mse        mean squared error per element
     * @param l0         mean active latents per token
     * @param deadFrac   fraction of latents that never fire on the evaluated tokens
     * @param denseFrac  fraction firing on more than {@link #DENSE_FRACTION} of them
     * @param density    [d_sae] firing fraction per latent
     */
    public record Reconstruction(long tokens, double fve, double mse, double l0, double deadFrac, double denseFrac, double[] density) {}

    /** Reconstruction metrics over the first {@code maxTokens} rows (in corpus order). */
    public static Reconstruction reconstruction(Parallel par, Sae sae, ActivationRows store, long maxTokens, Progress progress) {
        int d = sae.config().dIn(), l = sae.config().dSae();
        long n = Math.min(store.tokens(), maxTokens);
        int bsz = 1024;
        float[] x = new float[bsz * d], xh = new float[bsz * d];
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        double[] sum = new double[d], sumSq = new double[d];
        double err = 0;
        long active = 0;
        long[] fires = new long[l];
        for (long r0 = 0; r0 < n; r0 += bsz) {
            int rows = (int) Math.min(bsz, n - r0);
            for (int r = 0; r < rows; r++) store.row(r0 + r, x, r * d);
            Codes c = sae.reconstruct(par, x, rows, xh, w);
            for (int b = 0; b < rows; b++) {
                for (int i = 0; i < d; i++) {
                    double v = x[b * d + i], e = xh[b * d + i] - v;
                    err += e * e;
                    sum[i] += v;
                    sumSq[i] += v * v;
                }
                for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) {
                    if (c.val[q] > 0) {
                        active++;
                        fires[c.idx[q]]++;
                    }
                }
            }
            if (progress != null) progress.advance(rows);
        }
        double var = 0;
        for (int i = 0; i < d; i++) var += sumSq[i] - sum[i] * sum[i] / n;
        double[] density = new double[l];
        int dead = 0, dense = 0;
        for (int j = 0; j < l; j++) {
            density[j] = (double) fires[j] / n;
            if (fires[j] == 0) dead++;
            if (density[j] > DENSE_FRACTION) dense++;
        }
        return new Reconstruction(n, 1 - err / var, err / ((double) n * d), (double) active / n, (double) dead / l, (double) dense / l, density);
    }

    /** A hook that replaces the activation with the SAE's reconstruction. */
    public static Hooks splice(Parallel par, Sae sae) {
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        return new Hooks().add(sae.config().hookName(), (point, act, tokens, width, starts) -> {
            if (width != sae.config().dIn()) throw new IllegalStateException("hook width " + width + " != d_in " + sae.config().dIn());
            float[] xh = new float[tokens * width];
            sae.reconstruct(par, act, tokens, xh, w);
            System.arraycopy(xh, 0, act, 0, tokens * width);
        });
    }

    /** Embeds token sequences with {@code hooks}, batched by length; [n][C] in input order. */
    public static float[][] embed(Parallel par, SentenceEncoder enc, List<int[]> seqs, Hooks hooks, int batch) {
        Integer[] order = new Integer[seqs.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparingInt(i -> seqs.get(i).length));
        float[][] out = new float[seqs.size()][];
        for (int b = 0; b < order.length; b += batch) {
            int e = Math.min(order.length, b + batch);
            int[][] s = new int[e - b][];
            for (int i = b; i < e; i++) s[i - b] = seqs.get(order[i]);
            float[][] v = enc.embedBatch(par, Batch.of(s), hooks);
            for (int i = b; i < e; i++) out[order[i]] = v[i - b];
        }
        return out;
    }

    /** The first {@code max} sequences of the store, as token ids. */
    public static List<int[]> sequences(ActivationStore store, int max) {
        List<int[]> out = new ArrayList<>();
        long r = 0, n = store.tokens();
        while (r < n && out.size() < max) {
            int s = store.sequence(r);
            long e = r;
            while (e < n && store.sequence(e) == s) e++;
            int[] ids = new int[(int) (e - r)];
            for (int i = 0; i < ids.length; i++) ids[i] = store.tokenId(r + i);
            out.add(ids);
            r = e;
        }
        return out;
    }

    /** Whether the SAE reads the pooled sentence embedding ({@link ActivationCapture#EMBEDDING}) rather than a hook. */
    public static boolean onEmbedding(Sae sae) {
        return sae.config().hookName().equals(ActivationCapture.EMBEDDING);
    }

    /** Each embedding [C] replaced by its SAE reconstruction, L2-normalised as the encoder's output is. */
    static float[][] reconstructEmbeddings(Parallel par, Sae sae, float[][] emb) {
        int d = sae.config().dIn();
        float[] x = new float[emb.length * d], xh = new float[emb.length * d];
        for (int i = 0; i < emb.length; i++) System.arraycopy(emb[i], 0, x, i * d, d);
        sae.reconstruct(par, x, emb.length, xh, new SaeArchitecture.Work());
        float[][] out = new float[emb.length][];
        for (int i = 0; i < emb.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(xh, i * d, (i + 1) * d);
            dev.lacuna.model.Pooling.l2Normalize(out[i]);
        }
        return out;
    }

    /** For an SAE on the embedding: mean cosine of the first {@code max} store rows to their reconstructions. */
    public static double embeddingCosine(Parallel par, Sae sae, ActivationRows rows, int max) {
        int n = (int) Math.min(max, rows.tokens()), d = sae.config().dIn();
        float[][] a = new float[n][d];
        for (int i = 0; i < n; i++) rows.row(i, a[i], 0);
        float[][] b = reconstructEmbeddings(par, sae, a);
        double s = 0;
        for (int i = 0; i < n; i++) s += Vectors.cosine(a[i], b[i]);
        return s / n;
    }

    /** Mean cosine between the pooled embeddings with and without the SAE spliced in. */
    public static double splicedCosine(Parallel par, Sae sae, SentenceEncoder enc, List<int[]> seqs) {
        float[][] a = embed(par, enc, seqs, Hooks.NONE, 32);
        float[][] b = onEmbedding(sae) ? reconstructEmbeddings(par, sae, a) : embed(par, enc, seqs, splice(par, sae), 32);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += Vectors.cosine(a[i], b[i]);
        return s / a.length;
    }

    /** STS-B Spearman x100 without and with the SAE spliced in: {original, spliced}. */
    public static double[] stsb(Parallel par, Sae sae, SentenceEncoder enc, List<StsbPair> pairs) {
        Function<List<String>, float[][]> plain = texts -> embed(par, enc, ids(enc, texts), Hooks.NONE, 32);
        Function<List<String>, float[][]> spliced = onEmbedding(sae)
                ? texts -> reconstructEmbeddings(par, sae, embed(par, enc, ids(enc, texts), Hooks.NONE, 32))
                : texts -> embed(par, enc, ids(enc, texts), splice(par, sae), 32);
        return new double[] {StsbEvaluator.spearman(pairs, plain), StsbEvaluator.spearman(pairs, spliced)};
    }

    private static List<int[]> ids(SentenceEncoder enc, List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        for (Encoding e : enc.tokenize(texts)) out.add(e.ids());
        return out;
    }
}
