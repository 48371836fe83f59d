// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionFrontierTest {
    /** Pairs the kernel attends on random q/k/v of one head of 32 dims, n tokens. */
    private static long attended(MethodSpec spec, int n) {
        int d = 32;
        SplittableRandom r = new SplittableRandom(7);
        float[] q = new float[n * d], k = new float[n * d], v = new float[n * d], out = new float[n * d];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextGaussian();
            k[i] = (float) r.nextGaussian();
            v[i] = (float) r.nextGaussian();
        }
        AttentionKernel kern = spec.kernel();
        float[] scratch = new float[Math.max(1, kern.scratchSize(n, d))];
        return kern.attendRows(q, k, v, out, d, 0, n, 0, d, (float) (1 / Math.sqrt(d)), scratch, 0, n, null);
    }

    @Test
    void mappingsMatchABruteForceCountOfAttendedPairs() {
        for (int n : new int[] {64, 128, 256, 512}) {
            for (double s : new double[] {0.5, 0.75, 0.875, 0.9375}) {
                int k = Math.max(1, (int) Math.round((1 - s) * n));
                assertEquals((long) k * n, attended(AttentionFrontier.budget("topk", s, n), n), "topk n=" + n + " s=" + s);
                // block-topk: k whole key blocks per query, n a multiple of the block
                int block = 32, blocks = n / block;
                int kb = Math.max(1, (int) Math.ceil((1 - s) * blocks - 1e-9));
                assertEquals((long) kb * block * n, attended(AttentionFrontier.budget("block-topk", s, n), n), "block-topk n=" + n + " s=" + s);
                // vertical-slash: the main block diagonal (one tile per query), extra slashes (a tile each when aligned, two
                // when not) and columns, overlapping: between the main diagonal alone and that sum
                int[] p = AttentionFrontier.verticalSlash(s, n);
                int t = AttentionFrontier.VS_TILE;
                long vs = attended(AttentionFrontier.budget("vertical-slash", s, n), n);
                assertTrue(vs >= (long) t * n && vs <= (long) Math.min(n, p[0] + t + 2L * t * p[1]) * n,
                        "vertical-slash n=" + n + " s=" + s + ": " + vs + " " + java.util.Arrays.toString(p));
            }
        }
        assertEquals(Map.of("k", "32"), Map.of("k", AttentionFrontier.budget("topk", 0.5, 64).params().get("k")));
    }

    @Test
    void methodsWithoutABudgetKnobAreNamed() {
        assertNull(AttentionFrontier.unsupported("topk"));
        assertNotNull(AttentionFrontier.unsupported("topp"));
        assertNotNull(AttentionFrontier.unsupported("window"));
        assertEquals("unknown method", AttentionFrontier.unsupported("nope"));
        assertThrows(LacunaException.class, () -> AttentionFrontier.budget("topp", 0.5, 64));
        assertThrows(LacunaException.class, () -> AttentionFrontier.budget("topk", 1.0, 64));
        assertThrows(LacunaException.class, () -> AttentionFrontier.budget("topk", 0.0, 64));
    }

    @Test
    void tinySweep() {
        LoadedModel m = ModelLoader.load("default");
        List<String> text = AttentionBenchmark.calibrationText();
        List<String> log = new ArrayList<>();
        List<AttentionFrontier.Point> ps = AttentionFrontier.sweep(m.encoder(), List.of("topk", "block-topk"), List.of(0.5, 0.75), List.of(64),
                text, 0, 2, 2, log::add);
        assertEquals(4, ps.size());
        assertEquals(4, log.size());
        for (String method : List.of("topk", "block-topk")) {
            List<AttentionFrontier.Point> mp = ps.stream().filter(p -> p.method().equals(method)).toList();
            assertEquals(2, mp.size());
            assertTrue(mp.get(1).measuredSparsity() >= mp.get(0).measuredSparsity() - 1e-12, method + ": sparsity monotone in the target");
            for (AttentionFrontier.Point p : mp) {
                assertEquals(64, p.length());
                assertEquals(2, p.windows());
                assertTrue(p.meanCosine() <= 1 + 1e-6 && p.minCosine() <= p.meanCosine() + 1e-12, p.toString());
                assertTrue(p.meanCosine() > 0.5, p.toString());
                assertTrue(p.attnFlops() < p.denseFlops() && p.attnFlops() > 0, p.toString());
                assertEquals(4.0 * 32 * p.attendedPairs() / (2 * 64), p.attnFlops(), 1e-6);
            }
        }
        for (AttentionFrontier.Point p : ps.stream().filter(p -> p.method().equals("topk")).toList()) {
            assertEquals(p.targetSparsity(), p.measuredSparsity(), 0.01, p.toString());
            // exact scores: all of QKᵀ, then PV on what is kept
            assertEquals((0.5 + 0.5 * (1 - p.measuredSparsity())) * p.denseFlops(), p.flops(), 1e-6 * p.denseFlops());
        }
        String csv = AttentionFrontier.csv(ps);
        assertEquals(5, csv.lines().count());
        assertTrue(csv.startsWith("method,length,target_sparsity,measured_sparsity,attended_pairs,"), csv);
        assertTrue(csv.lines().anyMatch(l -> l.startsWith("topk,64,0.7500,")), csv);
    }

    @Test
    void theDenseBudgetEqualsDense() {
        LoadedModel m = ModelLoader.load("default");
        var model = m.encoder().model();
        MethodSpec all = MethodSpec.parse("topk", Map.of("k", "64"));
        PlanEvaluation.Result r = PlanEvaluation.evaluate(m.encoder(), AttentionFrontier.uniform(model.config(), model.layerCount(), all),
                AttentionBenchmark.calibrationText(), 64, 0, 2, 2);
        assertEquals(1.0, r.meanCosine(), 1e-4);
        assertEquals(0.0, r.sparsity(), 1e-9);
    }
}
