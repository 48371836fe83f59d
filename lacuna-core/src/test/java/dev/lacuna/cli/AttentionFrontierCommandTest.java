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

class AttentionFrontierCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesTheFrontier() throws IOException {
        Path out = dir.resolve("af");
        CliRunner.Result r = CliRunner.run("attention", "frontier", "--methods", "topk,topp", "--sparsity", "0.5", "--lengths", "64",
                "--windows", "1", "--skip", "0", "--synthetic-lengths", "128", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("skipping topp"), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("\\{\"out\":\".*\",\"points\":1,\"synthetic_points\":1}"), r.out());
        for (String f : List.of("frontier.csv", "quality.png", "isoflops.png", "index.html")) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        List<String> csv = Files.readAllLines(out.resolve("frontier.csv"));
        assertEquals(2, csv.size());
        assertTrue(csv.get(1).startsWith("topk,64,0.5000,0.5"), csv.get(1));
        List<String> syn = Files.readAllLines(out.resolve("synthetic.csv"));
        assertEquals(2, syn.size());
        assertTrue(syn.get(0).startsWith("method,length,target_sparsity,measured_sparsity,mass_recall,rel_error,"), syn.get(0));
        assertTrue(syn.get(1).startsWith("topk,128,0.5000,0.5"), syn.get(1));
        assertTrue(csv.get(1).endsWith(",topk k=32"), csv.get(1));
        CliRunner.Result again = CliRunner.run("attention", "frontier", "--lengths", "64", "--out", out.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
    }
}
