// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TermWeightHeadTest {
    @TempDir
    Path dir;

    @Test
    void writeThenReadGivesTheSameHead() {
        TermWeightHead h = new TermWeightHead(new double[] {9.5, -0.25, 0.125, -0.5, 1, -2, 3.0000001}, 1.1, 0.7, TermWeightHead.Analysis.ENGLISH, "default", Map.of("steps", 12, "seed", 3L));
        Path f = dir.resolve("head.json");
        h.write(f);
        TermWeightHead r = TermWeightHead.read(f);
        assertArrayEquals(h.parameters(), r.parameters());
        assertEquals(3, r.width());
        assertEquals(1.1, r.k1());
        assertEquals(0.7, r.b());
        assertEquals("default", r.model());
        assertTrue(r.english());
        assertEquals(12, ((Number) r.training().get("steps")).intValue());
        // a head over analysed words keeps its analysis (and needs no variant logit)
        TermWeightHead words = new TermWeightHead(new double[] {9.5, -0.25, 0.125, 0, 1, -2, 3}, 1.2, 0.75, TermWeightHead.Analysis.WORDS, "default", Map.of());
        words.write(f);
        assertEquals(TermWeightHead.Analysis.WORDS, TermWeightHead.read(f).analysis());
        assertArrayEquals(words.parameters(), TermWeightHead.read(f).parameters());
    }

    private String fails(String json) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        LacunaException e = assertThrows(LacunaException.class, () -> TermWeightHead.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static String head(String override) {
        String base = "\"format\":\"lacuna-term-weight-head\",\"formatVersion\":1,\"hiddenSize\":2,\"k1\":1.2,\"b\":0.75,\"a\":10,\"c\":0,\"bias\":0,\"u\":[0,0]";
        return "{" + base + (override.isEmpty() ? "" : "," + override) + "}";
    }

    @Test
    void badFilesAreOneLineErrorsNamingTheField() throws IOException {
        assertTrue(fails("{\"format\":").contains("cannot read"));
        assertTrue(fails("[1,2]").contains("not a JSON object"));
        assertTrue(fails("{\"format\":\"lacuna-index\"}").contains("not a term-weight head"));
        assertTrue(fails(head("\"formatVersion\":2")).contains("format 2"));
        assertTrue(fails(head("\"u\":[0,0,0]")).contains("\"u\" must be an array of hiddenSize (2) numbers, has 3"));
        assertTrue(fails(head("\"u\":[0,\"x\"]")).contains("\"u\"[1]"));
        assertTrue(fails(head("\"a\":\"ten\"")).contains("\"a\" must be a finite number"));
        assertTrue(fails(head("\"k1\":0")).contains("\"k1\" must be > 0"));
        assertTrue(fails(head("\"b\":2")).contains("\"b\" must be in [0, 1]"));
        assertTrue(fails(head("\"hiddenSize\":0")).contains("hiddenSize"));
        assertTrue(fails(head("\"analysis\":\"lemma\"")).contains("\"analysis\" must be \"none\", \"english\" or \"words\", got \"lemma\""));
        assertTrue(fails(head("\"analysis\":\"english\"")).contains("\"variantLogit\" must be a finite number"));
        LacunaException missing = assertThrows(LacunaException.class, () -> TermWeightHead.read(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }
}
