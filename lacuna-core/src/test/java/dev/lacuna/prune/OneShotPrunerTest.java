// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.SparsityPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** End to end on a tiny random BERT (C = 32, I = 64, 2 layers). */
class OneShotPrunerTest {
    private static Parallel par;
    private static BertModel model;
    private static List<int[]> cal;

    @BeforeAll
    static void setUp() {
        par = new Parallel(2);
        model = PruneFixtures.tinyModel(3);
        cal = PruneFixtures.tinyCalibration(5, 24);
    }

    @AfterAll
    static void tearDown() {
        par.close();
    }

    private static PruneResult prune(String yaml) {
        return OneShotPruner.prune(model, Recipe.parse(yaml), cal, par, null);
    }

    private static Map<String, float[]> snapshot(BertModel m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : m.linears().entrySet()) s.put(e.getKey(), e.getValue().weight().data().clone());
        return s;
    }

    @Test
    void everyMethodGivesExactSparsityAndLeavesTheInputModelAlone() {
        Map<String, float[]> before = snapshot(model);
        Map<String, Linear> linearsBefore = model.linears();
        for (String m : new String[] {"magnitude", "random", "wanda", "sparsegpt"}) {
            for (String extra : new String[] {"", ", dsnot: true"}) {
                PruneResult r = prune("- prune: {method: " + m + ", sparsity: 0.5" + extra + "}");
                assertEquals(12, r.masks().size());
                assertEquals(12, r.layers().size());
                for (LayerReport lr : r.layers()) {
                    assertEquals(0.5, lr.sparsity(), 0, m + extra + " " + lr.name());
                    assertTrue(lr.error() >= 0 && lr.error() < 1, m + extra + " " + lr.name() + " error " + lr.error());
                    float[] w2 = r.weight(lr.name()).data();
                    Mask mask = r.masks().get(lr.name());
                    for (int i = 0; i < w2.length; i++) if (!mask.isKept(i)) assertEquals(0f, w2[i]);
                    assertInstanceOf(DenseLinear.class, r.model().linears().get(lr.name()));
                    assertSame(linearsBefore.get(lr.name()).bias(), r.model().linears().get(lr.name()).bias());
                }
                assertEquals(0.5, r.sparsity(), 0);
            }
        }
        Map<String, float[]> after = snapshot(model);
        for (String n : before.keySet()) assertArrayEquals(before.get(n), after.get(n), n + " was modified");
        assertEquals(linearsBefore, model.linears());
    }

    @Test
    void sparseGptBeatsMagnitudeOverall() {
        PruneResult sg = prune("- prune: {method: sparsegpt, sparsity: 0.6}");
        PruneResult mag = prune("- prune: {method: magnitude, sparsity: 0.6}");
        // the tiny model's inputs are nearly isotropic, where SparseGPT reduces to magnitude; the sum still shows the update
        double eSg = sg.layers().stream().mapToDouble(LayerReport::error).sum();
        double eMag = mag.layers().stream().mapToDouble(LayerReport::error).sum();
        assertTrue(eSg < 0.9 * eMag, "sparsegpt " + eSg + " vs magnitude " + eMag);
    }

    @Test
    void layersAreCalibratedOnThePrunedPrefix() {
        PruneResult r = prune("- prune: {method: wanda, sparsity: 0.5}");
        // recompute layer 1's Wanda masks from the model whose layer 0 is pruned: they must agree
        Map<String, Linear> replace = new LinkedHashMap<>();
        for (String n : model.linears().keySet()) if (n.startsWith("encoder.layer.0.")) replace.put(n, r.model().linears().get(n));
        BertModel prefixPruned = model.withLinears(replace);
        Map<String, InputStats> pruned = LayerCapture.capture(par, prefixPruned, 1, Set.copyOf(LayerCapture.POINTS), false, CalibrationSet.of(cal), null);
        Map<String, InputStats> dense = LayerCapture.capture(par, model, 1, Set.copyOf(LayerCapture.POINTS), false, CalibrationSet.of(cal), null);
        int differsFromDense = 0;
        for (String n : model.linears().keySet()) {
            if (!n.startsWith("encoder.layer.1.")) continue;
            Linear l = model.linears().get(n);
            String pt = LayerCapture.inputPoint(n);
            LayerTask t = new LayerTask(n, l.weight().data(), l.outFeatures(), l.inFeatures(), pruned.get(pt), 0.5, SparsityPattern.UNSTRUCTURED, 0);
            assertEquals(new WandaPruner().prune(par, t).mask(), r.masks().get(n), n);
            LayerTask td = new LayerTask(n, l.weight().data(), l.outFeatures(), l.inFeatures(), dense.get(pt), 0.5, SparsityPattern.UNSTRUCTURED, 0);
            if (!new WandaPruner().prune(par, td).mask().equals(r.masks().get(n))) differsFromDense++;
        }
        assertTrue(differsFromDense > 0, "the dense model's inputs would give the same masks: the test cannot tell");
    }

    @Test
    void targetsIgnoreAndSeveralModifiers() {
        PruneResult r = prune("""
                name: mixed
                modifiers:
                  - prune: {method: wanda, sparsity: 0.5, targets: ["re:.*attention"], ignore: ["encoder.layer.1.attention.self.key"]}
                  - prune: {method: sparsegpt, pattern: "2:4", targets: ["re:.*intermediate.*", "encoder.layer.0.output.dense"]}
                """);
        List<String> names = new ArrayList<>(r.masks().keySet());
        assertEquals(List.of(
                "encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.key", "encoder.layer.0.attention.self.value",
                "encoder.layer.0.attention.output.dense", "encoder.layer.0.intermediate.dense", "encoder.layer.0.output.dense",
                "encoder.layer.1.attention.self.query", "encoder.layer.1.attention.self.value", "encoder.layer.1.attention.output.dense",
                "encoder.layer.1.intermediate.dense"), names);
        assertTrue(r.masks().get("encoder.layer.1.intermediate.dense").isNofM(2, 4));
        assertEquals(2, r.layers().get(r.layers().size() - 1).modifier());
        assertSame(model.linears().get("encoder.layer.1.attention.self.key"), r.model().linears().get("encoder.layer.1.attention.self.key"));
    }

    @Test
    void aSecondStepOnTheSameLayerKeepsEarlierZeros() {
        PruneResult r = prune("""
                - prune: {method: random, sparsity: 0.5, seed: 3, targets: ["encoder.layer.0.intermediate.dense"]}
                - prune: {method: magnitude, sparsity: 0.25, targets: ["encoder.layer.0.intermediate.dense"]}
                """);
        Mask m = r.masks().get("encoder.layer.0.intermediate.dense");
        assertTrue(m.sparsity() >= 0.5, "earlier zeros were revived");
        assertEquals(m, Mask.ofNonZero(r.weight("encoder.layer.0.intermediate.dense").data(), m.rows(), m.cols()));
    }

    @Test
    void blockPatternEndToEnd() {
        PruneResult r = prune("- prune: {method: sparsegpt, sparsity: 0.5, pattern: \"block:4x8\", block_size: 16}");
        for (Mask m : r.masks().values()) {
            assertEquals(0.5, m.sparsity(), 0);
            for (int r0 = 0; r0 < m.rows(); r0 += 4) {
                for (int c0 = 0; c0 < m.cols(); c0 += 8) {
                    boolean k0 = m.isKept(r0, c0);
                    for (int i = 0; i < 4; i++) for (int j = 0; j < 8; j++) assertEquals(k0, m.isKept(r0 + i, c0 + j));
                }
            }
        }
    }

    @Test
    void globalMagnitudeUsesOneThreshold() {
        PruneResult r = prune("- prune: {method: magnitude, sparsity: 0.6, scope: global}");
        long zeros = 0, total = 0;
        double maxPruned = 0, minKept = Double.POSITIVE_INFINITY;
        for (Map.Entry<String, Mask> e : r.masks().entrySet()) {
            float[] w = model.linears().get(e.getKey()).weight().data();
            for (int i = 0; i < w.length; i++) {
                if (e.getValue().isKept(i)) minKept = Math.min(minKept, Math.abs(w[i]));
                else maxPruned = Math.max(maxPruned, Math.abs(w[i]));
            }
            zeros += e.getValue().prunedCount();
            total += e.getValue().size();
        }
        assertEquals(Math.round(0.6 * total), zeros);
        assertTrue(maxPruned <= minKept);
        assertTrue(r.layers().stream().mapToDouble(LayerReport::sparsity).distinct().count() > 1, "global gave every layer the same sparsity");
    }

    @Test
    void erkAndOwlSpreadSparsityAroundTheTarget() {
        PruneResult erk = prune("- prune: {method: random, sparsity: 0.5, layerwise_ratio: erk, seed: 1}");
        double z = 0, t = 0;
        for (LayerReport lr : erk.layers()) {
            z += lr.sparsity() * lr.rows() * lr.cols();
            t += lr.rows() * lr.cols();
        }
        assertEquals(0.5, z / t, 1e-3);
        LayerReport q = erk.layers().get(0), ffn = erk.layers().get(4);
        assertTrue(q.sparsity() < ffn.sparsity(), "ERK must prune the 32x32 query less than the 64x32 FFN");

        PruneResult owl = prune("- prune: {method: wanda, sparsity: 0.5, owl: true, owl_lambda: 0.1}");
        double s0 = owl.layers().get(0).targetSparsity(), s1 = owl.layers().get(6).targetSparsity();
        assertEquals(0.5, (s0 + s1) / 2, 1e-12);
        assertEquals(0.2, Math.abs(s0 - s1), 1e-12); // two layers: one at target - λ, one at target + λ
        for (LayerReport lr : owl.layers()) assertEquals(lr.targetSparsity(), lr.sparsity(), 1.0 / (lr.rows() * lr.cols()));
    }

    @Test
    void errorsNameTheModifier() {
        LacunaException e = assertThrows(LacunaException.class, () -> prune("- prune: {method: wanda, sparsity: 0.5, targets: [\"re:.*nothing.*\"]}"));
        assertTrue(e.getMessage().startsWith("recipe: modifier 1: targets match no layer: 're:.*nothing.*'"), e.getMessage());
        e = assertThrows(LacunaException.class, () -> prune("""
                - prune: {method: magnitude, sparsity: 0.5}
                - prune: {method: magnitude, sparsity: 0.5, targets: ["encoder.layer.9.output.dense"]}
                """));
        assertTrue(e.getMessage().startsWith("recipe: modifier 2: targets match no layer"), e.getMessage());
        e = assertThrows(LacunaException.class, () -> prune("- prune: {method: magnitude, pattern: \"2:6\"}"));
        assertTrue(e.getMessage().startsWith("recipe: modifier 1: pattern 2:6: M = 6 does not divide"), e.getMessage());
        e = assertThrows(LacunaException.class, () -> OneShotPruner.prune(model, Recipe.parse("- prune: {method: wanda, sparsity: 0.5}"), List.of(), par, null));
        assertTrue(e.getMessage().contains("needs calibration data"), e.getMessage());
    }

    @Test
    void magnitudeRunsWithoutCalibration() {
        PruneResult r = OneShotPruner.prune(model, Recipe.parse("- prune: {method: magnitude, sparsity: 0.5}"), List.of(), par, null);
        assertEquals(12, r.layers().size());
        assertTrue(Double.isNaN(r.layers().get(0).error()));
        assertEquals(0, r.calibrationTokens());
        assertEquals(12 + 2 * CalibrationSet.of(cal).batches().size(),
                OneShotPruner.progressTotal(model, Recipe.parse("- prune: {method: wanda, sparsity: 0.5}"), cal));
    }

    @Test
    void randomIsSeeded() {
        PruneResult a = prune("- prune: {method: random, sparsity: 0.5, seed: 11}");
        PruneResult b = prune("- prune: {method: random, sparsity: 0.5, seed: 11}");
        PruneResult c = prune("- prune: {method: random, sparsity: 0.5, seed: 12}");
        assertEquals(a.masks(), b.masks());
        assertNotEquals(a.masks(), c.masks());
    }
}
