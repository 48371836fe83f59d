// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna recover thresholds --quick} writes its CSV and PNG; a second run with --overwrite replaces them. */
class RecoverCommandTest {
    @TempDir
    Path dir;

    @Test
    void thresholdsWritesCsvAndPng() throws IOException {
        Path out = dir.resolve("thr");
        CliRunner.Result r = CliRunner.run("recover", "thresholds", "--quick", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("thresholds.csv"));
        assertEquals("prox,tau,lambda,l0,reconstruction_error", csv.get(0));
        assertEquals(1 + 4 * 6, csv.size());
        assertTrue(Files.size(out.resolve("thresholds.png")) > 1000);
        assertEquals(0, CliRunner.run("recover", "thresholds", "--quick", "--seed", "2", "--out", out.toString(), "--overwrite").exit());
        assertEquals(25, Files.readAllLines(out.resolve("thresholds.csv")).size());
    }
}
