// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.Vectors;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;

import java.util.List;
/**
 * Judges a plan on long inputs, where attention sparsity matters: windows of real text (held out
 * from calibration by skipping the windows calibration used) are embedded by the dense model and by
 * the model with the plan, and the plan's attention sparsity is measured on the same windows
 * (q/k/v captured from the dense model, every layer and head).
 */
public final class PlanEvaluation {
    /**
     * @param meanCosine mean cosine of pooled embeddings, plan vs dense
     * @param minCosine  the worst window's
     * @param sparsity   fraction of (query, key) pairs the plan skipped, all layers and heads
     */
    public record Result(int windows, int windowTokens, double meanCosine, double minCosine, double sparsity) {}

    private PlanEvaluation() {}

    /**
     * @param skip windows of the text to skip first (e.g. those calibration used)
     */
    public static Result evaluate(SentenceEncoder encoder, SparsePlan plan, List<String> text, int windowTokens, int skip, int count, int threads) {
        if (count < 1) throw new LacunaException("windows must be >= 1, got " + count);
        if (skip < 0) throw new LacunaException("skip must be >= 0, got " + skip);
        BertModel dense = encoder.model();
        plan.checkFits(dense.layerCount(), dense.config().numAttentionHeads());
        List<int[]> all = AttentionCapture.windows(encoder.tokenizer(), text, windowTokens, skip + count);
        if (all.size() <= skip) throw new LacunaException("the text has only " + all.size() + " windows of " + windowTokens + " tokens; "
                + "skipping " + skip + " leaves none");
        List<int[]> windows = all.subList(skip, all.size());
        Batch batch = Batch.of(windows.toArray(new int[0][]));
        Pooling pooling = encoder.pooling();
        try (Parallel par = new Parallel(threads)) {
            float[][] ref = AttentionCalibrator.embed(dense, pooling, batch, par);
            float[][] got = AttentionCalibrator.embed(dense.withAttention(plan), pooling, batch, par);
            double sum = 0, min = 1;
            for (int i = 0; i < ref.length; i++) {
                double c = Vectors.cosine(ref[i], got[i]);
                sum += c;
                min = Math.min(min, c);
            }
            return new Result(windows.size(), windowTokens, sum / ref.length, min, sparsity(dense, plan, windows, par));
        }
    }

    /** Fraction of (query, key) pairs the plan skips on the windows. */
    static double sparsity(BertModel model, SparsePlan plan, List<int[]> windows, Parallel par) {
        int d = model.config().headDim(), c = model.config().hiddenSize(), heads = model.config().numAttentionHeads();
        float scale = (float) (1 / Math.sqrt(d));
        AttentionCapture.Captured cap = AttentionCapture.capture(model, par, windows, model.layerCount() - 1);
        int[] starts = cap.seqStarts();
        long[] kept = new long[model.layerCount() * heads];
        par.forRange(kept.length, (s, e) -> {
            for (int w = s; w < e; w++) {
                int l = w / heads, h = w % heads;
                AttentionKernel kern = plan.kernel(l, h);
                float[] out = new float[cap.q()[l].length];
                for (int x = 0; x + 1 < starts.length; x++) {
                    int n = starts[x + 1] - starts[x];
                    float[] scratch = new float[Math.max(1, kern.scratchSize(n, d))];
                    kept[w] += kern.attendRows(cap.q()[l], cap.k()[l], cap.v()[l], out, c, starts[x], n, h * d, d, scale, scratch, 0, n, null);
                }
            }
        });
        long total = 0, k = 0;
        for (int x = 0; x + 1 < starts.length; x++) total += (long) (starts[x + 1] - starts[x]) * (starts[x + 1] - starts[x]);
        for (long v : kept) k += v;
        return 1 - (double) k / (total * kept.length);
    }
}
