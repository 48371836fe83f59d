// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.TestData;
import dev.lacuna.format.HfBertLoader;
import dev.lacuna.kernel.Linear;
import dev.lacuna.load.ModelDirectory;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna sparsify} end to end on a small budget, and its bad inputs. */
class SparsifyCliTest {
    @TempDir
    Path dir;

    @Test
    void sparsifyWritesAModelAndAReport() throws Exception {
        Path out = dir.resolve("m");
        CliRunner.Result r = CliRunner.run("sparsify", "--recipe", "wanda-50", "--calib", TestData.shared().resolve("text/wikitext2-valid.txt").toString(),
                "--calib-count", "16", "--eval-count", "48", "--seconds", "2", "--kernel-choice", "cost-model", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(0.5, j.get("sparsity").asDouble(), 1e-6);
        assertTrue(j.get("fidelity_cosine").asDouble() > 0.8, r.lastLine());
        assertTrue(j.get("similarity_r").asDouble() > 0.8, r.lastLine());
        assertTrue(j.get("stsb_spearman").isNull());
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "lacuna.json", "recipe.yaml", "report.html", "report.json",
                "dense/model.safetensors", "dense/config.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"));
        assertTrue(r.out().contains("encoder.layer.5.output.dense"), "per-layer table");
        JsonNode lj = new ObjectMapper().readTree(out.resolve("lacuna.json").toFile());
        assertEquals(dev.lacuna.Version.get(), lj.get("lacuna_version").asText());
        assertEquals("wanda-50", lj.get("recipe").asText());
        assertWrittenModelMatchesReport(out, r, j, report);
        assertQualityInRange(j, report);
        assertRatiosMatchThroughputs(j, report);
        // the output is a model the other commands take
        CliRunner.Result emb = CliRunner.runWithStdin("A man plays a guitar.\n".getBytes(), "embed", "--model", out.toString());
        assertEquals(0, emb.exit(), emb.err());
        // an existing output is refused without --overwrite, and left as it was
        long before = Files.size(out.resolve("model.safetensors"));
        CliRunner.Result again = CliRunner.run("sparsify", "--recipe", "wanda-50", "--out", out.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(before, Files.size(out.resolve("model.safetensors")));
    }

    /**
     * What the model directory loads agrees with what was reported: the kernel of every projection
     * (report.json and the printed table), and the zero fraction of the pruned weights (overall as
     * the JSON line rounds it, per layer as the table rounds it), in the sparse model and in dense/.
     */
    private static void assertWrittenModelMatchesReport(Path out, CliRunner.Result r, JsonNode j, JsonNode report) {
        Map<String, Linear> loaded = ModelDirectory.load(out).linears();
        Map<String, String> reported = new LinkedHashMap<>();
        report.get("kernels").fields().forEachRemaining(e -> reported.put(e.getKey(), e.getValue().asText()));
        Map<String, String> kernels = new LinkedHashMap<>();
        loaded.forEach((name, l) -> kernels.put(name, l.kernel()));
        assertEquals(kernels, reported, "report.json kernels vs the written model");
        Map<String, String> printed = new LinkedHashMap<>();
        for (String line : r.out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 6 && loaded.containsKey(f[0])) printed.put(f[0], f[5]);
        }
        Map<String, Double> layerSparsity = new LinkedHashMap<>();
        for (JsonNode l : report.get("layers")) layerSparsity.put(l.get("name").asText(), l.get("sparsity").asDouble()); // last step wins
        assertEquals(layerSparsity.keySet(), printed.keySet(), "the printed table has one row per pruned projection");
        for (String name : printed.keySet()) assertEquals(reported.get(name), printed.get(name), "printed kernel of " + name);

        Map<String, FloatTensor> dense = HfBertLoader.load(out.resolve("dense")).tensors();
        long zeros = 0, total = 0;
        for (String name : layerSparsity.keySet()) {
            float[] w = loaded.get(name).weight().data();
            float[] wd = dense.get(name + ".weight").data();
            assertEquals(w.length, wd.length, name);
            long z = 0;
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0) z++;
                assertEquals(w[i], wd[i], name + " [" + i + "]: dense/ holds the same masked weights");
            }
            assertEquals(layerSparsity.get(name), (double) z / w.length, 5e-4, name + ": reported vs written sparsity");
            zeros += z;
            total += w.length;
        }
        double written = (double) zeros / total;
        assertEquals(report.get("sparsity").asDouble(), written, 1e-6, "report.json sparsity vs the written weights' zero fraction");
        assertEquals(j.get("sparsity").asDouble(), written, 5e-5 + 1e-9, "JSON line sparsity vs the written weights' zero fraction");
    }

    /** Cosines and correlations are in (0, 1], the JSON line rounds report.json, and the mean is not below the worst. */
    private static void assertQualityInRange(JsonNode j, JsonNode report) {
        JsonNode f = report.get("fidelity");
        double mean = f.get("meanCosine").asDouble(), min = f.get("minCosine").asDouble(), sim = f.get("similarityR").asDouble();
        assertTrue(0 < min && min <= mean && mean <= 1 + 1e-6, f.toString());
        assertTrue(0 < sim && sim <= 1 + 1e-6, f.toString());
        assertEquals(mean, j.get("fidelity_cosine").asDouble(), 5e-6 + 1e-9);
        assertEquals(sim, j.get("similarity_r").asDouble(), 5e-6 + 1e-9);
        assertEquals(48, report.get("evalTexts").asInt());
        assertEquals(2, report.get("threads").asInt());
    }

    /**
     * Every engine ran and reports a finite positive throughput; each ratio of the JSON line is the
     * sparse engine's sentences/s over that engine's in report.json (to the line's 4 decimals).
     * Speed itself is not asserted.
     */
    private static void assertRatiosMatchThroughputs(JsonNode j, JsonNode report) {
        Map<String, Double> speed = new LinkedHashMap<>();
        for (JsonNode e : report.get("speed")) {
            double s = e.get("sentencesPerSecond").asDouble();
            assertTrue(Double.isFinite(s) && s > 0, e.toString());
            assertTrue(e.get("batches").asInt() > 0 && e.get("medianBatchMs").asDouble() > 0, e.toString());
            speed.put(e.get("name").asText(), s);
        }
        assertEquals(List.of("lacuna-sparse", "lacuna-dense", "onnxruntime", "onnxruntime-int8"), List.copyOf(speed.keySet()));
        Map<String, String> ratioOf = Map.of("speedup_vs_dense", "lacuna-dense", "ratio_vs_onnxruntime", "onnxruntime",
                "ratio_vs_onnxruntime_int8", "onnxruntime-int8");
        for (var e : ratioOf.entrySet()) {
            double ratio = j.get(e.getKey()).asDouble();
            assertTrue(j.get(e.getKey()).isNumber() && Double.isFinite(ratio) && ratio > 0, e.getKey() + " in " + j);
            assertEquals(speed.get("lacuna-sparse") / speed.get(e.getValue()), ratio, 5e-5 + 1e-9, e.getKey() + " vs report.json speed");
        }
    }

    private void fails(String yaml, String expected) throws Exception {
        Path recipe = dir.resolve("r.yaml");
        Files.writeString(recipe, yaml);
        Path out = dir.resolve("never");
        CliRunner.Result r = CliRunner.run("sparsify", "--recipe", recipe.toString(), "--out", out.toString(), "--calib-count", "4");
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, java.util.Arrays.stream(r.errLines()).filter(l -> l.startsWith("lacuna: error:")).count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in " + r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownRecipeKeyIsNamed() throws Exception {
        fails("modifiers:\n  - prune: {method: magnitude, sparsty: 0.5}\n", "sparsty");
    }

    @Test
    void sparsityOutsideRange() throws Exception {
        fails("modifiers:\n  - prune: {method: magnitude, sparsity: 1.2}\n", "1.2");
    }

    @Test
    void nNotBelowM() throws Exception {
        fails("modifiers:\n  - prune: {method: magnitude, sparsity: 0.5, pattern: \"4:2\"}\n", "4:2");
    }

    @Test
    void layerThatDoesNotExist() throws Exception {
        fails("modifiers:\n  - prune: {method: magnitude, sparsity: 0.5, targets: [\"encoder.layer.9.intermediate.dense\"]}\n", "encoder.layer.9.intermediate.dense");
    }

    @Test
    void calibrationWithoutUsableText() throws Exception {
        Path calib = dir.resolve("calib.txt");
        Files.writeString(calib, "\n\n = Heading = \nshort\n");
        Path out = dir.resolve("never");
        CliRunner.Result r = CliRunner.run("sparsify", "--recipe", "wanda-50", "--calib", calib.toString(), "--out", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("no usable text"), r.err());
        assertFalse(Files.exists(out));
    }
}
