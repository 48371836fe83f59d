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
        var o = new AttentionCalibrator.Options(2, 96, 0.95, AttentionCalibrator.Allocation.UNIFORM, -1, 0.99, 0.02, AttentionCalibrator.Cost.TIME, 2, 1);
        List<String> text = AttentionBenchmark.calibrationText();
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(m.encoder(), "default", text, "wikitext2-valid", o);
        SparsePlan p = r.plan();
        assertEquals(6, p.layers());
        assertEquals(12, p.heads());
        assertEquals(72, r.heads().size());
        for (AttentionCalibrator.HeadReport h : r.heads()) {
            if (h.chosen().name().equals("dense") || h.chosen().name().equals("skip")) continue;
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
        var o = new AttentionCalibrator.Options(2, 128, Double.NaN, AttentionCalibrator.Allocation.UNIFORM, -1, 0.99, 0.02, AttentionCalibrator.Cost.PAIRS, 2, 1);
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(m.encoder(), "default", AttentionBenchmark.calibrationText(), "wikitext2-valid", o);
        assertTrue(r.curve().size() >= AttentionCalibrator.SWEEP.length, "one point per recall target at least");
        assertTrue(r.cosine() >= 0.99, "cosine " + r.cosine());
        for (AttentionCalibrator.CurvePoint p : r.curve()) {
            if (p.cosine() >= 0.99) assertTrue(p.sparsity() <= r.sparsity() + 1e-12, p + " is sparser than the chosen " + r.sparsity());
        }
        // at 128 tokens top-p alone skips well over a third of the pairs at cosine 0.99
        assertTrue(r.sparsity() > 0.35, "sparsity " + r.sparsity());
        for (AttentionCalibrator.HeadReport h : r.heads()) {
            if (h.chosen().name().equals("dense") || h.chosen().name().equals("skip")) continue;
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

    /**
     * HeSS-guided allocation keeps the uniform plan's total (equal sparsity, up to the candidates'
     * granularity) and moves budget: some heads denser than in the uniform plan, some sparser, the
     * sensitive ones (HeSS above the mean) denser on average. The old calibrator only tightened sensitive
     * heads, so its plan was always denser than the uniform one.
     */
    @Test
    void hessAllocationKeepsTheUniformTotal() {
        LoadedModel m = ModelLoader.load("default");
        var text = AttentionBenchmark.calibrationText();
        var uni = AttentionCalibrator.calibrate(m.encoder(), "default", text, "t", new AttentionCalibrator.Options(2, 128, 0.9,
                AttentionCalibrator.Allocation.UNIFORM, 0, 0.5, 0, AttentionCalibrator.Cost.PAIRS, 2, 1));
        var hess = AttentionCalibrator.calibrate(m.encoder(), "default", text, "t", new AttentionCalibrator.Options(2, 128, 0.9,
                AttentionCalibrator.Allocation.HESS, 0, 0.5, 0, AttentionCalibrator.Cost.PAIRS, 2, 1));
        AttentionCalibrator.CurvePoint pt = hess.curve().get(0);
        assertEquals(uni.sparsity(), pt.uniformSparsity(), 1e-12);
        assertTrue(hess.sparsity() >= uni.sparsity() - 1e-12, hess.sparsity() + " denser than the uniform " + uni.sparsity());
        assertEquals(uni.sparsity(), hess.sparsity(), 0.002, "total budget");
        int denser = 0, sparser = 0;
        double sensitiveShift = 0, robustShift = 0;
        for (int i = 0; i < 72; i++) {
            var u = uni.plan().entries().get(i);
            var h = hess.plan().entries().get(i);
            double shift = h.cost() - u.cost();
            if (shift > 1e-12) denser++;
            if (shift < -1e-12) sparser++;
            if (h.sensitivity() > 1) sensitiveShift += shift;
            else robustShift += shift;
            assertEquals(uni.heads().get(i).sensitivity(), h.sensitivity(), 1e-12, "HeSS does not depend on the allocation");
        }
        assertTrue(denser > 0 && sparser > 0, denser + " heads denser, " + sparser + " sparser");
        assertTrue(sensitiveShift > 0 && robustShift < 0, "budget moved to sensitive heads " + sensitiveShift + ", robust " + robustShift);
        // with dense first layers the budget is the uniform plan's with the same dense layers
        var oneDense = AttentionCalibrator.calibrate(m.encoder(), "default", text, "t", new AttentionCalibrator.Options(2, 128, 0.9,
                AttentionCalibrator.Allocation.HESS, 1, 0.5, 0, AttentionCalibrator.Cost.PAIRS, 2, 1)).curve().get(0);
        assertEquals(1, oneDense.denseLayers());
        assertTrue(oneDense.uniformSparsity() < pt.uniformSparsity() - 0.05, oneDense.toString());
        assertEquals(oneDense.uniformSparsity(), oneDense.sparsity(), 0.002, oneDense.toString());
        System.out.println("uniform " + uni.sparsity() + " cosine " + uni.cosine() + "; hess " + hess.sparsity() + " cosine " + hess.cosine()
                + "; " + denser + " denser, " + sparser + " sparser");
    }
}
