// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.attention.SyntheticQkv;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
class AttentionBenchmarkTest {
    private static final AttentionBenchmark.Options FAST = new AttentionBenchmark.Options(1, 4, 3, Path.of("target", "attention-cache"), false);

    @Test
    void jsonHasExactlyTheContractFields() {
        var r = new AttentionBenchmark.Result("topk", 512, 1.5, 0.5, 3, 0.97, 0.01, 0.8, "topk k=64");
        assertEquals("{\"method\":\"topk\",\"length\":512,\"dense_ms\":1.500,\"sparse_ms\":0.500,\"speedup\":3.000,"
                + "\"mass_recall\":0.970000,\"rel_error\":0.010000,\"sparsity\":0.800000}", r.json());
    }

    /** The benchmark measures quality on sampled tiles: each kernel must compute a tile alone as in a full pass. */
    @Test
    void aTileComputedAloneEqualsTheFullPass() {
        int n = 700;
        float[][] qkv = SyntheticQkv.generate(n, 2, 32, 4);
        for (String m : MethodSpec.METHODS) {
            Map<String, String> p = m.equals("block") ? Map.of("grid", "1100000000000;0110000000000;0011000000000;0001100000000;"
                    + "0000110000000;0000011000000;0000001100000;0000000110000;0000000011000;0000000001100;0000000000110;0000000000011;1000000000001")
                    : m.equals("block-topk") ? Map.of("mass", "0.8") : Map.of();
            AttentionKernel k = MethodSpec.kernel(m, p);
            float[] full = new float[qkv[0].length], part = new float[qkv[0].length];
            float[] lf = new float[n], lp = new float[n];
            k.attendRows(qkv[0], qkv[1], qkv[2], full, 64, 0, n, 32, 32, 0.17f, new float[0], 0, n, lf);
            for (int t0 : new int[] {128, 640}) {
                int t1 = Math.min(n, t0 + 64);
                k.attendRows(qkv[0], qkv[1], qkv[2], part, 64, 0, n, 32, 32, 0.17f, new float[0], t0, t1, lp);
                for (int i = t0; i < t1; i++) {
                    assertEquals(lf[i], lp[i], 1e-5f, m + " lse row " + i);
                    // 1e-5, not exact: interpreted and compiled Vector API reductions round differently
                    for (int d = 0; d < 32; d++) assertEquals(full[i * 64 + 32 + d], part[i * 64 + 32 + d], 1e-5f, m + " row " + i);
                }
            }
        }
    }

    @Test
    void benchmarkTunesTheBudgetToTheRecallTarget() {
        var in = AttentionBenchmark.inputs("synthetic", 2048, 2, 32, 7, FAST);
        var r = AttentionBenchmark.run(MethodSpec.parse("topk", Map.of()), Set.of(), in, 0.9, 1, 7, FAST);
        assertTrue(r.massRecall() >= 0.9, r.json());
        assertTrue(r.sparsity() > 0 && r.sparsity() < 1, r.json());
        assertTrue(r.spec().startsWith("topk k="), r.spec());
        // the step below the chosen k misses the target
        int k = Integer.parseInt(r.spec().substring("topk k=".length()));
        if (k > 16) {
            var below = AttentionBenchmark.run(MethodSpec.parse("topk", Map.of("k", Integer.toString(k / 2))), Set.of("k"), in, 0.9, 1, 7, FAST);
            assertTrue(below.massRecall() < 0.9, below.json());
        }
        var d = AttentionBenchmark.run(MethodSpec.parse("dense", Map.of()), Set.of(), in, Double.NaN, 1, 7, FAST);
        assertEquals(1.0, d.massRecall(), 1e-4);
        assertEquals(0.0, d.relError(), 1e-5);
        assertEquals(0.0, d.sparsity(), 1e-12);
    }

    @Test
    void badInputsAreRejected() {
        assertThrows(LacunaException.class, () -> AttentionBenchmark.inputs("random", 100, 2, 32, 1, FAST));
        String m = assertThrows(LacunaException.class, () -> AttentionBenchmark.inputs("real", 100, 2, 64, 1, FAST)).getMessage();
        assertTrue(m.contains("32 dims"), m);
        assertThrows(LacunaException.class, () -> AttentionBenchmark.inputs("real:9", 100, 2, 32, 1, FAST));
        var in = AttentionBenchmark.inputs("synthetic", 128, 1, 32, 1, FAST);
        String r = assertThrows(LacunaException.class, () -> AttentionBenchmark.run(MethodSpec.parse("topk", Map.of()), Set.of(), in, 1.5, 1, 1, FAST)).getMessage();
        assertEquals("recall target must be in (0, 1], got 1.5", r);
        String z = assertThrows(LacunaException.class, () -> AttentionBenchmark.run(MethodSpec.parse("topk", Map.of()), Set.of(), in, 0, 1, 1, FAST)).getMessage();
        assertEquals("recall target must be in (0, 1], got 0.0", z);
    }
}
