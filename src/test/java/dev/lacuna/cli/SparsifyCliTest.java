package dev.lacuna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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
        assertEquals(0.5, j.get("sparsity").asDouble(), 1e-6);
        assertTrue(j.get("fidelity_cosine").asDouble() > 0.8, r.lastLine());
        assertTrue(j.get("similarity_r").asDouble() > 0.8, r.lastLine());
        assertTrue(j.get("speedup_vs_dense").asDouble() > 0, r.lastLine());
        assertTrue(j.get("ratio_vs_onnxruntime").asDouble() > 0, r.lastLine());
        assertTrue(j.get("ratio_vs_onnxruntime_int8").asDouble() > 0, r.lastLine());
        assertTrue(j.get("stsb_spearman").isNull());
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "lacuna.json", "recipe.yaml", "report.html", "report.json",
                "dense/model.safetensors", "dense/config.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        assertTrue(Files.readString(out.resolve("report.html")).contains("data:image/png;base64,"));
        assertTrue(r.out().contains("encoder.layer.5.output.dense"), "per-layer table");
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
