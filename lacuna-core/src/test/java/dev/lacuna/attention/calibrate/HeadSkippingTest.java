// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.attention.PlanFile;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.bert.BertModel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadSkippingTest {
    private static float[] capture(BertModel m, Batch b, String point) {
        float[][] got = new float[1][];
        Hooks hooks = new Hooks().add(point, (p, act, tokens, width, starts) -> got[0] = java.util.Arrays.copyOf(act, tokens * width));
        try (Parallel par = new Parallel(1)) {
            m.forward(par, b, hooks);
        }
        return got[0];
    }

    /**
     * A skipped head: the layer's attention output equals the dense one less W_o,h z_h (computed here
     * in double from the dense z), and the head's kernel reads none of q, k, v.
     */
    @Test
    void aSkippedHeadRemovesExactlyItsContribution() {
        BertModel dense = ModelLoader.load("default").encoder().model();
        int c = dense.config().hiddenSize(), d = dense.config().headDim(), layer = 2, head = 5;
        Batch b = Batch.of(new int[][] {{101, 2023, 2003, 1037, 3231, 1997, 1996, 4258, 102}, {101, 7592, 2088, 102}});
        float[] z = capture(dense, b, "layer." + layer + ".attn_z");
        float[] out = capture(dense, b, "layer." + layer + ".attn_out");
        SparsePlan plan = new SparsePlan("default", 6, 12, List.of(new SparsePlan.Entry(layer, head, MethodSpec.parse("skip", Map.of()),
                0, 0, Double.NaN, "", true)), Map.of());
        float[] skipped = capture(dense.withAttention(plan), b, "layer." + layer + ".attn_out");
        float[] w = dense.layer(layer).attnOut().weight().data(); // [C out, C in]
        double maxErr = 0, maxContribution = 0;
        for (int t = 0; t < b.tokens(); t++) {
            for (int o = 0; o < c; o++) {
                double contribution = 0;
                for (int x = 0; x < d; x++) contribution += (double) w[o * c + head * d + x] * z[t * c + head * d + x];
                maxErr = Math.max(maxErr, Math.abs(out[t * c + o] - contribution - skipped[t * c + o]));
                maxContribution = Math.max(maxContribution, Math.abs(contribution));
            }
        }
        assertTrue(maxContribution > 0.05, "the head contributes " + maxContribution);
        assertTrue(maxErr < 1e-4, "max |dense - W_o,h z_h - skipped| = " + maxErr);
        // nothing is read: NaN inputs leave the output zero and no pair is kept
        AttentionKernel k = plan.kernel(layer, head);
        float[] nan = new float[4 * c];
        java.util.Arrays.fill(nan, Float.NaN);
        float[] o = new float[4 * c];
        java.util.Arrays.fill(o, 7f);
        float[] lse = new float[4];
        assertEquals(0, k.attendRows(nan, nan, nan, o, c, 0, 4, head * d, d, 0.17f, new float[0], 0, 4, lse));
        for (int t = 0; t < 4; t++) {
            assertEquals(Float.NEGATIVE_INFINITY, lse[t]);
            for (int x = 0; x < c; x++) assertEquals(x / d == head ? 0f : 7f, o[t * c + x]);
        }
    }

    /** The calibrator plans low-share heads as skipped; the plan file keeps them; older files still load. */
    @Test
    void skippedHeadsArePlannedAndRoundTrip() {
        var m = ModelLoader.load("default");
        var o = new AttentionCalibrator.Options(2, 96, 0.9, AttentionCalibrator.Allocation.UNIFORM, 0, 0.5, 0.05,
                AttentionCalibrator.Cost.PAIRS, 2, 1);
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(m.encoder(), "default", AttentionBenchmark.calibrationText(), "t", o);
        int skipped = 0;
        for (AttentionCalibrator.HeadReport h : r.heads()) {
            assertEquals(h.share() < 0.05, h.chosen().name().equals("skip"), h.layer() + "/" + h.head() + " share " + h.share());
            if (h.share() < 0.05) skipped++;
        }
        assertTrue(skipped > 0, "no head below a 5% share");
        SparsePlan back = PlanFile.fromYaml(PlanFile.toYaml(r.plan()), "p.yaml");
        assertEquals(back.entries(), PlanFile.fromYaml(PlanFile.toYaml(back), "q.yaml").entries());
        for (int i = 0; i < back.entries().size(); i++) assertEquals(r.plan().entries().get(i).method(), back.entries().get(i).method());
        assertEquals(skipped, (int) back.methodCounts().get("skip"));
        for (SparsePlan.Entry e : back.entries()) {
            if (e.method().name().equals("skip")) assertEquals("skip", back.kernel(e.layer(), e.head()).name());
        }
        // a file written before skipping was applied: skippable is a hint, the head still runs its method
        SparsePlan old = PlanFile.fromYaml("format: lacuna-attention-plan/1\nmodel: default\nlayers: 6\nheads: 12\nplan:\n"
                + "- {layer: 1, head: 2, method: window, params: {window: '16'}, skippable: true}\n", "old.yaml");
        assertEquals("window", old.kernel(1, 2).name());
        // the calibrator's sparsity counts a skipped head as keeping no pair, as the kernels report
        var windows = AttentionCapture.windows(m.encoder().tokenizer(), AttentionBenchmark.calibrationText(), 96, 2);
        try (var par = new Parallel(2)) {
            assertEquals(r.sparsity(), PlanEvaluation.sparsity(m.encoder().model(), r.plan(), windows, par), 1e-9);
        }
    }
}
