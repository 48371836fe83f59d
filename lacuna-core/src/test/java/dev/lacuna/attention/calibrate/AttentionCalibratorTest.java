// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.attention.PlanFile;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
class AttentionCalibratorTest {
    @Test
    void calibratedPlanMeetsItsTargetsAndRoundTrips() {
        LoadedModel m = ModelLoader.load("default");
        var o = new AttentionCalibrator.Options(2, 96, 0.95, 0.99, 1.5, -1, 0.99, 0.02, AttentionCalibrator.Cost.TIME, 2, 1);
        List<String> text = AttentionBenchmark.calibrationText();
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(m.encoder(), "default", text, "wikitext2-valid", o);
        SparsePlan p = r.plan();
        assertEquals(6, p.layers());
        assertEquals(12, p.heads());
        assertEquals(72, r.heads().size());
        for (AttentionCalibrator.HeadReport h : r.heads()) {
            if (h.chosen().name().equals("dense")) continue;
            var c = h.candidates().stream().filter(x -> x.method().equals(h.chosen())).findFirst().orElseThrow();
            assertTrue(c.recall() >= h.target(), h.layer() + "/" + h.head() + " " + c);
            assertTrue(c.cost() < 1, h.layer() + "/" + h.head() + " " + c);
            assertTrue(h.layer() >= r.denseLayers(), "layer " + h.layer() + " should be dense");
        }
        assertTrue(r.cosine() > 0.9, "cosine " + r.cosine());
        SparsePlan once = PlanFile.fromYaml(PlanFile.toYaml(p), "a");
        assertEquals(once, PlanFile.fromYaml(PlanFile.toYaml(once), "b"));
        for (int i = 0; i < p.entries().size(); i++) assertEquals(p.entries().get(i).method(), once.entries().get(i).method());
        System.out.println(p + " dense layers " + r.denseLayers() + " cosine " + r.cosine());
    }

    @Test
    void sweptPlanIsTheSparsestThatKeepsTheCosineTarget() {
        LoadedModel m = ModelLoader.load("default");
        var o = new AttentionCalibrator.Options(2, 128, Double.NaN, Double.NaN, 1.5, -1, 0.99, 0.02, AttentionCalibrator.Cost.PAIRS, 2, 1);
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(m.encoder(), "default", AttentionBenchmark.calibrationText(), "wikitext2-valid", o);
        assertTrue(r.curve().size() >= AttentionCalibrator.SWEEP.length, "one point per recall target at least");
        assertTrue(r.cosine() >= 0.99, "cosine " + r.cosine());
        for (AttentionCalibrator.CurvePoint p : r.curve()) {
            if (p.cosine() >= 0.99) assertTrue(p.sparsity() <= r.sparsity() + 1e-12, p + " is sparser than the chosen " + r.sparsity());
        }
        // at 128 tokens top-p alone skips well over a third of the pairs at cosine 0.99
        assertTrue(r.sparsity() > 0.35, "sparsity " + r.sparsity());
        for (AttentionCalibrator.HeadReport h : r.heads()) {
            if (h.chosen().name().equals("dense")) continue;
            var c = h.candidates().stream().filter(x -> x.method().equals(h.chosen())).findFirst().orElseThrow();
            assertTrue(c.recall() >= h.target(), h.layer() + "/" + h.head() + " " + c);
            assertTrue(c.kept() < AttentionCalibrator.MAX_COST, h.layer() + "/" + h.head() + " " + c);
        }
        // the plan's own sparsity, measured afresh on the calibration windows, is what calibration reported
        var windows = AttentionCapture.windows(m.encoder().tokenizer(), AttentionBenchmark.calibrationText(), 128, 2);
        try (var par = new dev.lacuna.concurrent.Parallel(2)) {
            assertEquals(r.sparsity(), PlanEvaluation.sparsity(m.encoder().model(), r.plan(), windows, par), 1e-9);
        }
    }
}
