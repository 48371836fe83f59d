// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import static dev.lacuna.sparse.CsrLinearTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelBenchmarkTest {
    @Test
    void runsEachPatternAndPrintsJson() {
        for (String p : new String[] {"unstructured", "2:4", "block:4x4"}) {
            double s = p.equals("2:4") ? 0.5 : 0.75;
            KernelBenchmark.Result r = KernelBenchmark.run(p, s, 64, 48, 40, 2, 7);
            assertTrue(r.denseMs() > 0 && r.sparseMs() > 0, r.toString());
            assertEquals(r.denseMs() / r.sparseMs(), r.speedup(), 1e-9);
            assertEquals(s, r.sparsity(), 0.02, "pruned to the requested sparsity");
            assertTrue(r.maxError() < 1e-4, "sparse and dense disagree: " + r.maxError());
            String json = r.json();
            assertTrue(json.matches("\\{\"dense_ms\":[0-9.]+,\"sparse_ms\":[0-9.]+,\"speedup\":[0-9.]+,\"kernel\":\"" + r.kernel() + "\"}"), json);
        }
        assertEquals("csr", KernelBenchmark.run("unstructured", 0.9, 32, 32, 8, 1, 1).kernel());
        assertEquals("block4x4", KernelBenchmark.run("block:4x4", 0.5, 32, 32, 8, 1, 1).kernel());
    }

    @Test
    void rejectsBadArguments() {
        assertMessage("rows, cols and tokens must be ≥ 1", () -> KernelBenchmark.run("unstructured", 0.5, 0, 8, 8, 1, 1));
        assertMessage("threads must be ≥ 1, got 0", () -> KernelBenchmark.run("unstructured", 0.5, 8, 8, 8, 0, 1));
        assertMessage("sparsity must be in [0, 1], got 1.5", () -> KernelBenchmark.run("unstructured", 1.5, 8, 8, 8, 1, 1));
        assertMessage("pattern 2:4 fixes sparsity at 0.5", () -> KernelBenchmark.run("2:4", 0.9, 8, 8, 8, 1, 1));
    }
}
