// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: each declaration's parameters, factory, cost model and budget ladder fit together. */
class AttentionMethodsTest {
    private static final Set<String> STATIC_MASKS = Set.of("window", "sink", "strided", "s2", "block", "diagonal", "vertical");
    private static final Set<String> EXACT_SCORES = Set.of("topk", "topp", "blasst");
    private static final Set<String> UNTILED = Set.of("topk", "topp", "block-topk", "adaspa", "indexer", "hisa", "misa", "dhsa", "skip");

    /** The defaults, plus a grid for the one method whose grid has no default. */
    private static MethodSpec withDefaults(AttentionMethod m) {
        return MethodSpec.parse(m.name(), m.name().equals("block") ? Map.of("grid", "110;111;011") : Map.of());
    }

    @Test
    void methodsAreListedInTheDocumentedOrder() {
        assertEquals(List.of("dense", "window", "sink", "strided", "s2", "block", "diagonal", "vertical", "vertical-slash", "topk",
                "topp", "block-topk", "adaspa", "indexer", "hisa", "misa", "dhsa", "blasst", "skip"), AttentionMethods.names());
        assertEquals(AttentionMethods.names(), MethodSpec.METHODS);
        assertEquals(MethodSpec.METHODS.size(), MethodSpec.describe().size());
        assertEquals("topk: k=64 causal=false  (the k highest-scoring keys per query (exact scores))", MethodSpec.describe().get(9));
    }

    @Test
    void everyMethodBuildsTheKernelOfItsName() {
        for (AttentionMethod m : AttentionMethods.all()) {
            MethodSpec s = withDefaults(m);
            assertEquals(m.name(), s.kernel().name(), "kernel of " + m.name());
            assertEquals(m.name(), s.toString().split(" ")[0]);
            assertFalse(m.description().isBlank(), m.name());
            assertEquals(m, AttentionMethods.find(m.name()));
            assertEquals("false", m.defaults().get("causal"), m.name());
        }
        assertEquals(null, AttentionMethods.find("sparse"));
    }

    @Test
    void exactlyTheTiledMethodsTakeATile() {
        for (AttentionMethod m : AttentionMethods.all()) {
            Map<String, String> grid = m.name().equals("block") ? Map.of("grid", "11;11") : Map.of();
            Map<String, String> tile48 = new java.util.HashMap<>(grid);
            tile48.put("tile", "48");
            String msg = assertThrows(LacunaException.class, () -> MethodSpec.parse(m.name(), tile48)).getMessage();
            if (UNTILED.contains(m.name())) {
                assertFalse(m.tiled(), m.name());
                assertTrue(msg.startsWith(m.name() + ": unknown parameter 'tile'"), msg);
            } else {
                assertTrue(m.tiled(), m.name());
                assertEquals("64", m.defaults().get("tile"));
                assertEquals(m.name() + ": tile must be a multiple of 32, got 48", msg);
            }
        }
    }

    @Test
    void everyMethodRoundTripsThroughAPlanFile() {
        List<SparsePlan.Entry> entries = new ArrayList<>();
        int head = 0;
        for (AttentionMethod m : AttentionMethods.all()) {
            MethodSpec s = withDefaults(m);
            entries.add(new SparsePlan.Entry(0, head++, s, 0.9, 0.5, 1, "diagonal", false));
            // and a non-default setting: the sparsest step of its budget ladder
            List<Map<String, String>> steps = m.budget().steps(512, 0.9);
            if (!steps.isEmpty()) entries.add(new SparsePlan.Entry(1, head++, s.with(steps.get(0)), 0.9, 0.5, 1, "", true));
        }
        SparsePlan p = new SparsePlan("default", 2, head, entries, Map.of());
        SparsePlan back = PlanFile.fromYaml(PlanFile.toYaml(p), "plan.yaml");
        assertEquals(p.entries(), back.entries());
        assertEquals(PlanFile.toYaml(p), PlanFile.toYaml(back));
    }

    @Test
    void costModelsChargeWhatEachMethodComputes() {
        for (AttentionMethod m : AttentionMethods.all()) {
            MethodSpec s = withDefaults(m);
            for (double kept : new double[] {0, 0.25, 1}) {
                double f = s.relativeFlops(kept, 256, 32);
                String what = m.name() + " kept=" + kept;
                if (m.name().equals("dense")) assertEquals(1.0, f, 0, what);
                else if (m.name().equals("skip")) assertEquals(0.0, f, 0, what); // computes nothing
                else if (STATIC_MASKS.contains(m.name())) assertEquals(kept, f, 0, what);
                else if (EXACT_SCORES.contains(m.name())) assertEquals(0.5 + 0.5 * kept, f, 1e-15, what);
                else if (m.name().equals("adaspa")) assertEquals(0.5 + kept, f, 1e-15, what + ": a full exact search, then the kept pairs again");
                else assertTrue(f > kept && f < kept + 0.5, what + ": selection costs something, less than all of QKᵀ: " + f);
            }
        }
        // the selection overheads follow their parameters
        assertEquals(1.0 / 128 + 0.25, MethodSpec.parse("block-topk", Map.of()).relativeFlops(0.25, 256, 32), 1e-15);
        assertEquals(1.0 / 64 + 0.25, MethodSpec.parse("block-topk", Map.of("block", "32")).relativeFlops(0.25, 256, 32), 1e-15);
        assertEquals(16 / 64.0 + 0.25, MethodSpec.parse("hisa", Map.of()).relativeFlops(0.25, 256, 32), 1e-15);
        assertEquals(8 / 128.0 + 0.25, MethodSpec.parse("misa", Map.of()).relativeFlops(0.25, 256, 64), 1e-15);
        assertEquals(1.0 / 32 + 0.25, MethodSpec.parse("dhsa", Map.of()).relativeFlops(0.25, 256, 32), 1e-15);
        assertEquals(0.5 * 64 / 256 + 0.25, MethodSpec.parse("vertical-slash", Map.of()).relativeFlops(0.25, 256, 32), 1e-15);
        assertEquals(0.5 + 0.25, MethodSpec.parse("vertical-slash", Map.of()).relativeFlops(0.25, 32, 32), 1e-15);
    }

    /** Each ladder step is a valid setting, and the steps keep more pairs as they go (sparse to dense). */
    @Test
    void budgetLaddersRunFromSparseToDense() {
        int n = 130;
        Fixtures f = new Fixtures(5, n, 4, 32, 1f); // 4 heads: s2 shards key blocks over them
        for (AttentionMethod m : AttentionMethods.all()) {
            List<Map<String, String>> steps = m.budget().steps(n, 0.9);
            if (Set.of("dense", "block", "vertical", "skip").contains(m.name())) {
                assertEquals(List.of(), steps, m.name() + " has no budget");
                continue;
            }
            assertFalse(steps.isEmpty(), m.name());
            long first = -1, last = -1;
            for (Map<String, String> step : steps) {
                AttentionKernel k = withDefaults(m).with(step).kernel();
                long kept = k.attendRows(f.q, f.k, f.v, new float[f.q.length], f.stride, f.start, n, 0, f.headDim, f.scale,
                        new float[Math.max(1, k.scratchSize(n, f.headDim))], 0, n, null);
                assertTrue(kept >= last, m.name() + " " + step + " keeps " + kept + " pairs, fewer than the step before (" + last + ")");
                if (first < 0) first = kept;
                last = kept;
            }
            if (steps.size() > 1) assertTrue(last > first, m.name() + ": the ladder's ends keep " + first + " and " + last + " pairs");
        }
    }
}
