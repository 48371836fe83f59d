// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodSpecTest {
    private static String error(String method, Map<String, String> params) {
        return assertThrows(LacunaException.class, () -> MethodSpec.parse(method, params)).getMessage();
    }

    @Test
    void badParametersNameTheParameter() {
        assertEquals("topk: k must be > 0, got 0", error("topk", Map.of("k", "0")));
        assertEquals("topk: k must be > 0, got -3", error("topk", Map.of("k", "-3")));
        assertEquals("topp: p must be in (0, 1], got 1.5", error("topp", Map.of("p", "1.5")));
        assertEquals("topp: p must be in (0, 1], got 0", error("topp", Map.of("p", "0")));
        assertEquals("block-topk: mass must be in (0, 1], got 0", error("block-topk", Map.of("mass", "0")));
        assertEquals("dhsa: mass must be in (0, 1], got 2", error("dhsa", Map.of("mass", "2")));
        assertEquals("indexer: p must be in (0, 1], got 1.01", error("indexer", Map.of("p", "1.01")));
        assertEquals("topk: k must be an integer, got 'ten'", error("topk", Map.of("k", "ten")));
        assertTrue(error("window", Map.of("radius", "3")).startsWith("window: unknown parameter 'radius' (parameters: window"));
        assertTrue(error("sparse", Map.of()).startsWith("unknown attention method 'sparse' (methods: dense, window"));
        assertEquals("block-topk: block must be a multiple of 32, got 48", error("block-topk", Map.of("block", "48")));
        assertEquals("misa: active (5) exceeds heads (4)", error("misa", Map.of("active", "5")));
        assertEquals("block: parameter grid is required (rows of 0/1 separated by ';')", error("block", Map.of()));
        assertEquals("block: grid must be square: row 1 has 3 cells, expected 2", error("block", Map.of("grid", "11;111")));
        assertEquals("sink: global must be true or false, got 'yes'", error("sink", Map.of("global", "yes")));
        assertEquals("vertical: columns must not be negative, got -1", error("vertical", Map.of("columns", "0,-1")));
        assertEquals("blasst: threshold must be in [0.0, 0.999999999], got 1", error("blasst", Map.of("threshold", "1")));
    }

    @Test
    void lengthsPastAPatternAreRejected() {
        AttentionKernel k = MethodSpec.kernel("block", Map.of("size", "32", "grid", "10;01"));
        Fixtures f = new Fixtures(1, 65, 1, 32, 1f);
        String msg = assertThrows(LacunaException.class, () -> f.run(k, 0)).getMessage();
        assertEquals("block: a sequence of 65 tokens is longer than the pattern's 64", msg);
    }

    @Test
    void defaultsAreFilledAndPrintedCompactly() {
        MethodSpec s = MethodSpec.parse("topk", Map.of("k", "32"));
        assertEquals("32", s.params().get("k"));
        assertEquals("false", s.params().get("causal"));
        assertEquals("topk k=32", s.toString());
        assertEquals(s, MethodSpec.parse("topk:k=32"));
        assertEquals("diagonal offsets=0,512,-512 width=8", MethodSpec.parse("diagonal:offsets=0,512,-512,width=8").toString());
        assertEquals(MethodSpec.METHODS.size(), MethodSpec.describe().size());
    }
}
