// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.io.Progress;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.bert.BertConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Discrete codes per attention head (after O'Neill & Bui 2024, "Sparse autoencoders enable scalable and
 * reliable circuit identification"): per head, a TopK SAE with k = 1 on the head's output (its slice of
 * {@code layer.i.attn_z}) turns every token into one code; a text becomes the histogram of its codes,
 * and a head separates positive from negative texts when those histograms do. Scores: leave-one-out
 * nearest-centroid accuracy of the histograms, and the total-variation distance between the pooled
 * code distributions of the two sets.
 */
public final class HeadCodes {
    private HeadCodes() {}

    /** A head's separation of the two sets. */
    public record HeadScore(int layer, int head, double accuracy, double tv) {}

    /**
     * @param codes codebook size (latents of each head's SAE)
     * @param steps training steps per head
     */
    public static List<HeadScore> score(Parallel par, SentenceEncoder enc, List<String> pos, List<String> neg, int codes, int steps, long seed,
                                        Progress progress) {
        BertConfig c = enc.model().config();
        int layers = c.numHiddenLayers(), heads = c.numAttentionHeads(), dh = c.headDim(), hid = c.hiddenSize();
        List<String> texts = new ArrayList<>(pos);
        texts.addAll(neg);
        // attn_z of every layer for every text, rows in text order
        int[] textOf;
        List<float[]> z = new ArrayList<>();
        for (int i = 0; i < layers; i++) z.add(new float[0]);
        List<int[]> ids = new ArrayList<>();
        for (var e : enc.tokenize(texts)) ids.add(e.ids());
        int total = 0;
        for (int[] s : ids) total += s.length;
        textOf = new int[total];
        for (int i = 0; i < layers; i++) z.set(i, new float[total * hid]);
        int row = 0;
        for (int t = 0; t < ids.size(); t += 32) {
            int e = Math.min(ids.size(), t + 32);
            Batch b = Batch.of(ids.subList(t, e).toArray(int[][]::new));
            Hooks hooks = new Hooks();
            final int base = row;
            for (int i = 0; i < layers; i++) {
                float[] dst = z.get(i);
                hooks.add("layer." + i + ".attn_z", (p, act, tokens, width, starts) -> System.arraycopy(act, 0, dst, base * hid, tokens * hid));
            }
            enc.model().forward(par, b, hooks);
            for (int s = t; s < e; s++) for (int k = 0; k < ids.get(s).length; k++) textOf[row++] = s;
        }
        List<HeadScore> out = new ArrayList<>();
        float[] slice = new float[total * dh];
        for (int li = 0; li < layers; li++) {
            float[] zl = z.get(li);
            for (int h = 0; h < heads; h++) {
                for (int r = 0; r < total; r++) System.arraycopy(zl, r * hid + h * dh, slice, r * dh, dh);
                ActivationRows rows = ActivationRows.of(slice, total, dh);
                SaeConfig cfg = SaeConfig.defaults(TopKSae.KIND.name(), dh, codes, 1, "layer." + li + ".attn_z", "head" + h);
                int batch = Math.min(256, total);
                SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(3e-3, batch, (long) batch * steps, 0.05, 0.2, seed), rows);
                tr.train(Parallel.serial(), rows, null, 0, null);
                Sae sae = tr.toSae();
                SaeArchitecture.Work w = new SaeArchitecture.Work();
                sae.encode(Parallel.serial(), slice, total, w);
                double[][] hist = new double[texts.size()][codes];
                for (int r = 0; r < total; r++) {
                    Codes cd = w.codes();
                    // the code of a token: its single active latent (k = 1)
                    hist[textOf[r]][cd.idx[cd.start[r]]]++;
                }
                for (double[] hh : hist) {
                    double s = Arrays.stream(hh).sum();
                    for (int k = 0; k < codes; k++) hh[k] /= s;
                }
                out.add(new HeadScore(li, h, looAccuracy(hist, pos.size()), tv(hist, pos.size())));
                if (progress != null) progress.advance(1);
            }
        }
        out.sort(Comparator.comparingDouble((HeadScore s) -> -s.accuracy()).thenComparingDouble(s -> -s.tv()));
        return out;
    }

    /** Leave-one-out nearest-centroid accuracy; texts [0, nPos) are positive. */
    static double looAccuracy(double[][] hist, int nPos) {
        int n = hist.length, k = hist[0].length;
        double[] sp = new double[k], sn = new double[k];
        for (int t = 0; t < n; t++) for (int j = 0; j < k; j++) (t < nPos ? sp : sn)[j] += hist[t][j];
        int correct = 0;
        for (int t = 0; t < n; t++) {
            boolean isPos = t < nPos;
            double np = nPos - (isPos ? 1 : 0), nn = (n - nPos) - (isPos ? 0 : 1);
            double dp = 0, dn = 0;
            for (int j = 0; j < k; j++) {
                double cp = (sp[j] - (isPos ? hist[t][j] : 0)) / Math.max(1, np);
                double cn = (sn[j] - (isPos ? 0 : hist[t][j])) / Math.max(1, nn);
                dp += (hist[t][j] - cp) * (hist[t][j] - cp);
                dn += (hist[t][j] - cn) * (hist[t][j] - cn);
            }
            if ((dp < dn) == isPos) correct++;
        }
        return (double) correct / n;
    }

    /** Total-variation distance between the mean code distributions of the two sets. */
    static double tv(double[][] hist, int nPos) {
        int n = hist.length, k = hist[0].length;
        double[] mp = new double[k], mn = new double[k];
        for (int t = 0; t < n; t++) for (int j = 0; j < k; j++) (t < nPos ? mp : mn)[j] += hist[t][j] / (t < nPos ? nPos : n - nPos);
        double s = 0;
        for (int j = 0; j < k; j++) s += Math.abs(mp[j] - mn[j]);
        return s / 2;
    }
}
