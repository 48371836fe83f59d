// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacuna.LacunaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActivationCaptureTest {
    /** BEIR JSON lines give title + text per record (as retrieval encodes them); a malformed line is a one-line error. */
    @Test
    void readsBeirJsonLines(@TempDir Path tmp) throws IOException {
        Path corpus = tmp.resolve("corpus.jsonl");
        Files.writeString(corpus, "{\"_id\":\"d1\",\"title\":\"Lift\",\"text\":\"Wings make lift.\"}\n\n{\"_id\":\"q1\",\"text\":\"what is drag?\"}\n");
        assertEquals(List.of("Lift Wings make lift.", "what is drag?"), ActivationCapture.readTexts(corpus));
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"_id\":\"d1\",\"text\":\"ok\"}\n{not json\n");
        LacunaException e = assertThrows(LacunaException.class, () -> ActivationCapture.readTexts(bad));
        assertTrue(e.getMessage().contains("bad.jsonl") && !e.getMessage().contains("\n"), e.getMessage());
        List<String> reported = new java.util.ArrayList<>();
        assertEquals(List.of("ok"), ActivationCapture.readTexts(bad, reported::add), "with a reporter, bad records are skipped");
        assertEquals(1, reported.size());
        assertTrue(reported.get(0).contains("line 2"), reported.get(0));
    }
}
