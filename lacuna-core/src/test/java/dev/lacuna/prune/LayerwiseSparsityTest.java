// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LayerwiseSparsityTest {
    private static Map<String, int[]> miniLmShapes() {
        Map<String, int[]> m = new LinkedHashMap<>();
        for (int l = 0; l < 6; l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                m.put(p + n, new int[] {384, 384});
            }
            m.put(p + "intermediate.dense", new int[] {1536, 384});
            m.put(p + "output.dense", new int[] {384, 1536});
        }
        return m;
    }

    private static double weighted(Map<String, int[]> shapes, Map<String, Double> s) {
        double z = 0, t = 0;
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            double size = (double) e.getValue()[0] * e.getValue()[1];
            z += s.get(e.getKey()) * size;
            t += size;
        }
        return z / t;
    }

    @Test
    void erkAveragesToTheTargetAndFavoursNarrowLayers() {
        Map<String, int[]> shapes = miniLmShapes();
        for (double target : new double[] {0.3, 0.5, 0.7, 0.9}) {
            Map<String, Double> s = LayerwiseSparsity.erk(shapes, target);
            assertEquals(target, weighted(shapes, s), 1e-9, "target " + target);
            // density ∝ (N + K) / (N K): 2/384 for square 384 x 384, 1920/589824 for the FFN
            double dq = 1 - s.get("encoder.layer.0.attention.self.query"), df = 1 - s.get("encoder.layer.0.intermediate.dense");
            assertEquals((2.0 / 384) / (1920.0 / 589824), dq / df, 1e-9);
        }
    }

    @Test
    void erkCapsDensityAtOneAndRescalesTheRest() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("tiny", new int[] {2, 2});      // raw density 1.0 per unit
        shapes.put("big", new int[] {1000, 1000}); // raw density 0.002 per unit
        Map<String, Double> s = LayerwiseSparsity.erk(shapes, 0.5);
        assertEquals(0, s.get("tiny"), 0);
        assertEquals(0.5, weighted(shapes, s), 1e-12);
        assertTrue(s.get("big") > 0.5);
    }

    @Test
    void owlKeepsTheMeanAndPrunesOutlierLayersLess() {
        Map<Integer, Double> ratios = new LinkedHashMap<>();
        ratios.put(0, 0.02);
        ratios.put(1, 0.05);
        ratios.put(2, 0.01);
        ratios.put(3, 0.03);
        Map<Integer, Double> s = LayerwiseSparsity.owl(ratios, 0.7, 0.08);
        double mean = s.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(0.7, mean, 1e-12);
        assertEquals(0.16, s.get(2) - s.get(1), 1e-12); // min and max outlier ratios span 2λ
        assertTrue(s.get(1) < s.get(3) && s.get(3) < s.get(0) && s.get(0) < s.get(2));
        Map<Integer, Double> same = LayerwiseSparsity.owl(Map.of(0, 0.1, 1, 0.1), 0.5, 0.08);
        assertEquals(0.5, same.get(0));
        assertEquals(0.5, same.get(1));
    }

    @Test
    void outlierRatioCountsScoresAboveMTimesTheMean() {
        double[] a = {1, 1, 1, 1, 1, 1, 1, 1, 1, 91}; // mean 10: only 91 is above 5 x 10
        assertEquals(0.1, LayerwiseSparsity.outlierRatio(List.of(a), 5), 1e-12);
        assertEquals(0.05, LayerwiseSparsity.outlierRatio(List.of(a, new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), 5), 1e-12);
    }
}
