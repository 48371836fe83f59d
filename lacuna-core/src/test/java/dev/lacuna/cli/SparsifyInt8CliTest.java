// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.TestData;
import dev.lacuna.format.SafetensorsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna sparsify --recipe int8-weights}: a quantize-only recipe writes an int8 model the other commands take. */
class SparsifyInt8CliTest {
    @TempDir
    Path dir;

    @Test
    void int8RecipeWritesAnInt8Model() throws Exception {
        Path out = dir.resolve("q");
        CliRunner.Result r = CliRunner.run("sparsify", "--recipe", "recipes/int8-weights.yaml", "--calib", TestData.shared().resolve("text/wikitext2-valid.txt").toString(),
                "--calib-count", "4", "--eval-count", "32", "--seconds", "1", "--no-peers", "--threads", "2", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.lastLine());
        assertEquals(0.0, j.get("sparsity").asDouble());
        assertTrue(j.get("fidelity_cosine").asDouble() >= 0.999, r.lastLine());
        assertTrue(Files.readString(out.resolve("recipe.yaml")).contains("- quantize: {weights: int8, scheme: per_channel"));
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            JsonNode linears = new ObjectMapper().readTree(f.metadata().get("lacuna.linears"));
            assertEquals(36, linears.size(), "every projection of the 6-layer default model");
            for (JsonNode l : linears) assertEquals("int8", l.get("format").asText(), l.toString());
        }
        CliRunner.Result emb = CliRunner.runWithStdin("A man plays a guitar.\n".getBytes(), "embed", "--model", out.toString());
        assertEquals(0, emb.exit(), emb.err());
    }
}
