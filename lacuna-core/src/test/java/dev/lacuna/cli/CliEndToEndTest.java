// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI contract: output shapes, order, and the JSON last lines. */
class CliEndToEndTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void versionIsThePomVersion() {
        CliRunner.Result r = CliRunner.run("--version");
        assertEquals(0, r.exit(), r.err());
        assertEquals(dev.lacuna.Version.describe(), r.out().strip());
        // built from this git checkout: a real commit, and the JDK that runs it
        assertTrue(r.out().strip().matches("lacuna \\d+\\.\\d+\\.\\d+ \\(commit [0-9a-f]{10}(-dirty)?\\) on Java 25.*"), r.out());
    }

    @Test
    void attentionBenchListsEveryMethodWithItsDefaults() {
        CliRunner.Result r = CliRunner.run("attention", "bench", "--list-methods");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(dev.lacuna.attention.MethodSpec.METHODS, lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("topk:") && l.contains(" k=64")), r.out());
    }

    @Test
    void embedWritesOneUnitVectorPerLineInOrder() throws Exception {
        String text = "A man is playing a guitar.\nA woman is slicing an onion.\nA man is playing a guitar.\nThe stock market fell sharply today after the announcement.\n";
        Path out = dir.resolve("e.jsonl");
        CliRunner.Result r = CliRunner.runWithStdin(text.getBytes(StandardCharsets.UTF_8), "embed", "--output", out.toString(), "--batch", "3");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(4, lines.size());
        double[][] v = new double[4][];
        for (int i = 0; i < 4; i++) {
            JsonNode e = JSON.readTree(lines.get(i)).get("embedding");
            assertEquals(384, e.size());
            v[i] = new double[384];
            double ss = 0;
            for (int j = 0; j < 384; j++) {
                v[i][j] = e.get(j).asDouble();
                ss += v[i][j] * v[i][j];
            }
            assertEquals(1.0, ss, 1e-4);
        }
        // lines 1 and 3 are the same text, so their vectors match; 1 and 4 are unrelated
        assertEquals(1.0, dot(v[0], v[2]), 1e-5);
        assertTrue(dot(v[0], v[3]) < 0.5, "unrelated sentences differ: " + dot(v[0], v[3]));
    }

    @Test
    void evalStsbMatchesOnnxRuntimeForMiniLm() throws Exception {
        evalMatches("default", 86.0, 88.0);
    }

    @Test
    void evalStsbMatchesOnnxRuntimeForBgeSmallInt8() throws Exception {
        evalMatches("bge-small-q", 80.0, 92.0);
    }

    private void evalMatches(String model, double lo, double hi) throws Exception {
        String data = TestData.stsbDev().toString();
        CliRunner.Result ours = CliRunner.run("eval", "stsb", "--data", data, "--model", model, "--threads", "2");
        assertEquals(0, ours.exit(), ours.err());
        CliRunner.Result peer = CliRunner.run("eval", "stsb", "--data", data, "--model", model, "--threads", "2", "--engine", "onnxruntime");
        assertEquals(0, peer.exit(), peer.err());
        JsonNode a = JSON.readTree(ours.lastLine()), b = JSON.readTree(peer.lastLine());
        assertEquals(1500, a.get("pairs").asInt());
        double sa = a.get("spearman").asDouble(), sb = b.get("spearman").asDouble();
        System.out.printf("STS-B dev %s: lacuna %.4f, onnxruntime %.4f%n", model, sa, sb);
        assertTrue(sa > lo && sa < hi, "spearman " + sa);
        assertEquals(sb, sa, 0.05);
    }

    @Test
    void benchPrintsSideBySideJson() throws Exception {
        Path texts = dir.resolve("t.txt");
        Files.writeString(texts, String.join("\n", TestData.stsbDevSentences(64)) + "\n");
        CliRunner.Result r = CliRunner.run("bench", "--texts", texts.toString(), "--batch", "8", "--threads", "2",
                "--seconds", "1", "--warmup", "0.2", "--peer", "onnxruntime", "--profile");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = JSON.readTree(r.lastLine());
        double l = j.get("lacuna").get("sentences_per_s").asDouble();
        double o = j.get("onnxruntime").get("sentences_per_s").asDouble();
        assertTrue(l > 0 && o > 0, r.lastLine());
        assertEquals(l / o, j.get("ratio").asDouble(), 1e-3 * l / o);
        assertTrue(j.get("profile_ms_per_batch").get("ffn_in_linear_gelu").asDouble() > 0);
    }

    @Test
    void inspectDescribesTheModel() {
        CliRunner.Result r = CliRunner.run("inspect", "--hooks");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("6 layers, hidden 384, 12 heads x 32, FFN 1536"), r.out());
        assertTrue(r.out().contains("layer.3.resid_post"), r.out());
        // all-MiniLM-L6-v2 has 22,713,216 parameters; without the pooler (384 x 384 + 384) 22,565,376
        assertTrue(r.out().matches("(?s).*total\\s+22565376\\s.*"), r.out());
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
