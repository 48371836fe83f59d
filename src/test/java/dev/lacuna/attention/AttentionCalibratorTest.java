package dev.lacuna.attention;

import dev.lacuna.model.LoadedModel;
import dev.lacuna.model.ModelLoader;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionCalibratorTest {
    @Test
    void calibratedPlanMeetsItsTargetsAndRoundTrips() {
        LoadedModel m = ModelLoader.load("default");
        var o = new AttentionCalibrator.Options(2, 96, 0.95, 0.99, 1.5, -1, 0.99, 0.02, 2, 1);
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
}
