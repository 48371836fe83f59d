// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sae commands end to end on a tiny store: JSON contracts, and one-line errors on bad input. */
class SaeCliTest {
    @TempDir
    Path dir;

    static String lastLine(String s) {
        String[] l = s.strip().split("\n");
        return l[l.length - 1];
    }

    private void fails(String expected, String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().length, "one error line, got: " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    @Test
    void captureTrainEvalAndBadInput() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "A man is playing a guitar.\n\nA woman is slicing onions.\nThe cat sat on the mat.\nTwo dogs run in a field.\n");
        Path store = dir.resolve("store"), other = dir.resolve("other"), sae = dir.resolve("sae");
        CliRunner.Result c = CliRunner.run("sae", "capture", "--hook", "layer.1.resid_post", "--text", text.toString(), "--out", store.toString(), "--dtype", "float16", "--threads", "1");
        assertEquals(0, c.exit(), c.err());
        JsonNode cj = new ObjectMapper().readTree(lastLine(c.out()));
        assertEquals(4, cj.get("sequences").asInt());
        assertTrue(cj.get("tokens").asInt() > 20);
        assertEquals(0, CliRunner.run("sae", "capture", "--hook", "layer.2.mlp_out", "--text", text.toString(), "--out", other.toString(), "--threads", "1").exit());

        CliRunner.Result t = CliRunner.run("sae", "train", "--store", store.toString(), "--arch", "topk", "--latents", "64", "--k", "4", "--tokens", "256", "--batch", "16", "--out", sae.toString(), "--threads", "1");
        assertEquals(0, t.exit(), t.err());
        JsonNode tj = new ObjectMapper().readTree(lastLine(t.out()));
        assertEquals(256, tj.get("tokens").asInt());
        assertTrue(tj.get("tokens_per_s").asDouble() > 0 && tj.has("seconds"));
        assertTrue(Files.exists(sae.resolve("cfg.json")) && Files.exists(sae.resolve("sae_weights.safetensors")));
        JsonNode cfg = new ObjectMapper().readTree(sae.resolve("cfg.json").toFile());
        assertEquals(384, cfg.get("d_in").asInt());
        assertEquals(64, cfg.get("d_sae").asInt());
        assertEquals("layer.1.resid_post", cfg.get("hook_name").asText());

        CliRunner.Result e = CliRunner.run("sae", "eval", "--sae", sae.toString(), "--store", store.toString(), "--threads", "1", "--splice-texts", "4");
        assertEquals(0, e.exit(), e.err());
        JsonNode ej = new ObjectMapper().readTree(lastLine(e.out()));
        for (String f : new String[] {"fve", "mse", "l0", "dead_frac", "dense_frac", "spliced_cosine", "stsb_delta"}) assertTrue(ej.has(f), f);
        assertTrue(ej.get("stsb_delta").isNull());
        assertTrue(ej.get("l0").asDouble() <= 4.0 + 1e-9);

        Path relu = dir.resolve("relu"), frontier = dir.resolve("frontier");
        assertEquals(0, CliRunner.run("sae", "train", "--store", store.toString(), "--arch", "relu", "--latents", "64", "--k", "8", "--tokens", "256", "--batch", "16",
                "--out", relu.toString(), "--threads", "1").exit());
        CliRunner.Result f = CliRunner.run("sae", "frontier", "--sae", sae.toString(), relu.toString(), "--store", store.toString(), "--out", frontier.toString(), "--threads", "1");
        assertEquals(0, f.exit(), f.err());
        assertEquals(2, new ObjectMapper().readTree(lastLine(f.out())).get("points").asInt());
        List<String> rows = Files.readAllLines(frontier.resolve("frontier.csv"));
        assertEquals(3, rows.size());
        assertTrue(rows.get(1).contains(",topk,k=4,") && rows.get(2).contains(",relu,l1="), rows.toString());
        byte[] png = Files.readAllBytes(frontier.resolve("frontier.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        fails("already exists", "sae", "frontier", "--sae", sae.toString(), "--store", store.toString(), "--out", frontier.toString());
        fails("activation store is of hook layer.2.mlp_out", "sae", "frontier", "--sae", sae.toString(), "--store", other.toString(), "--out", dir.resolve("z").toString());

        fails("--lr-warm-up and --lr-decay must be >= 0 and sum to <= 1", "sae", "train", "--store", store.toString(), "--latents", "64", "--lr-warm-up", "0.5", "--lr-decay", "0.6", "--out", dir.resolve("x").toString());
        fails("k = 65 is larger than the latent count d_sae = 64", "sae", "train", "--store", store.toString(), "--latents", "64", "--k", "65", "--out", dir.resolve("x").toString());
        fails("activation store is of hook layer.2.mlp_out", "sae", "eval", "--sae", sae.toString(), "--store", other.toString());
        fails("unknown hook point 'layer.9.resid_post'", "sae", "capture", "--hook", "layer.9.resid_post", "--text", text.toString(), "--out", dir.resolve("y").toString());
        Files.writeString(sae.resolve("sae_weights.safetensors"), "garbage");
        fails("sae_weights.safetensors", "sae", "eval", "--sae", sae.toString(), "--store", store.toString());
        assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("y")) || Files.exists(dir.resolve("z")), "no output left by failed commands");
    }
}
