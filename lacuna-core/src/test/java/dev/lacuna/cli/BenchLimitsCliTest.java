// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna bench peak} and {@code lacuna bench gemm}: the JSON contract and bad input. Speed itself is not asserted. */
class BenchLimitsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void peakReportsCpuWidthFmaAndBandwidth() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "peak", "--threads", "2");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = JSON.readTree(r.lastLine());
        assertFalse(j.get("cpu").asText().isBlank());
        int bits = j.get("vector_bits").asInt();
        assertTrue(bits == 128 || bits == 256 || bits == 512, "vector bits " + bits);
        assertEquals(2, j.get("threads").asInt());
        // plausibility only: a core of any CPU this runs on does between 1 and 1,000 GFLOP/s
        double core = j.get("fma_gflops_per_core").asDouble();
        assertTrue(core > 1 && core < 1000, "per core " + core);
        assertTrue(j.get("fma_gflops").asDouble() > 0.5);
        assertTrue(j.get("bandwidth_gbs").asDouble() > 0.1);
    }

    @Test
    void gemmReportsEfficiencyAgainstPeak() throws Exception {
        CliRunner.Result r = CliRunner.run("bench", "gemm", "--m", "17", "--n", "40", "--k", "33", "--threads", "1", "--seconds", "0.1");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = JSON.readTree(r.lastLine());
        assertEquals(17, j.get("m").asInt());
        assertEquals(40, j.get("n").asInt());
        assertEquals(33, j.get("k").asInt());
        double g = j.get("gflops").asDouble(), p = j.get("peak_gflops").asDouble();
        assertTrue(g > 0 && p > 0);
        assertEquals(g / p, j.get("efficiency").asDouble(), 1e-3);
    }

    @Test
    void gemmRefusesBadShapesInOneLine() {
        for (String[] args : new String[][] {{"--m", "0"}, {"--n", "-3"}, {"--m", "100000", "--n", "100000"}, {"--seconds", "0"}}) {
            String[] full = new String[args.length + 2];
            full[0] = "bench";
            full[1] = "gemm";
            System.arraycopy(args, 0, full, 2, args.length);
            CliRunner.Result r = CliRunner.run(full);
            assertTrue(r.exit() != 0, String.join(" ", args));
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().startsWith("lacuna: "), r.err());
        }
    }
}
