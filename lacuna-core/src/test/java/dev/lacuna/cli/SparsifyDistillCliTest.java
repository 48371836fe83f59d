// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna sparsify} with a recipe's distill step: a short run end to end, and the inputs it refuses before any work. */
class SparsifyDistillCliTest {
    @TempDir
    Path dir;

    private Path recipe(String name, String lr) throws Exception {
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, "name: " + name + "\nmodifiers:\n  - prune: {method: magnitude, sparsity: 0.5}\n"
                + "  - distill: {steps: 3, losses: [cosine, squarehead], lr: " + lr + ", batch: 4, max_tokens: 32}\n");
        return p;
    }

    private static String[] args(Path recipe, Path out, String... more) {
        String[] base = {"sparsify", "--recipe", recipe.toString(), "--calib-count", "4", "--eval-count", "16", "--seconds", "1", "--no-peers",
                "--threads", "2", "--out", out.toString()};
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }

    @Test
    void distillRunsAndReportsItsTraining() throws Exception {
        Path out = dir.resolve("m");
        CliRunner.Result r = CliRunner.run(args(recipe("d", "1e-4"), out, "--train-stsb", TestData.shared().resolve("stsb/stsb-en-train.csv").toString()));
        assertEquals(0, r.exit(), r.err());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        JsonNode t = report.get("training");
        assertEquals(3, t.get("steps").asLong());
        assertEquals(3, t.get("log").get("steps").size());
        assertTrue(t.get("log").get("steps").get(0).get("terms").has("squarehead"));
        assertEquals(4, t.get("log").get("evals").size(), "before training and after each of the 3 steps (8 points asked, at most one a step)");
        assertTrue(Files.readString(out.resolve("report.html")).contains("Distillation"));
        assertTrue(Files.readString(out.resolve("recipe.yaml")).contains("distill: {steps: 3"));
        assertFalse(Files.exists(dir.resolve("m.distill-checkpoint")), "the default checkpoint is removed after success");
        assertTrue(r.err().contains("training sequences"), r.err());
    }

    @Test
    void refusesBadInputBeforeAnyWork() throws Exception {
        Path out = dir.resolve("m");
        Path d = recipe("d", "1e-4");
        CliRunner.Result r = CliRunner.run(args(d, out, "--train-text", dir.resolve("missing.txt").toString()));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("missing.txt"), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).count(), r.err());
        assertFalse(Files.exists(out));

        r = CliRunner.run(args(Path.of("recipes/wanda-50.yaml"), out, "--resume", dir.toString()));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("distill step"), r.err());

        r = CliRunner.run(args(d, out, "--resume", dir.resolve("nothing").toString()));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("no such checkpoint"), r.err());
        assertFalse(Files.exists(out));

        refusedRecipe("- distill: {steps: 3, losses: [cosine, cosent], batch: 4}", out, "the cosent loss trains on scored pairs: give --train-stsb FILE");
        refusedRecipe("- distill: {steps: 3, lr: 0}", out, "lr must be in (0, 1]");
    }

    /** A magnitude-50% prune step then {@code distill} is refused with {@code message}, and nothing is written. */
    private void refusedRecipe(String distill, Path out, String message) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "- prune: {method: magnitude, sparsity: 0.5}\n" + distill + "\n");
        CliRunner.Result r = CliRunner.run(args(bad, out));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void resumeRefusesACheckpointOfAnotherRecipe() throws Exception {
        Path ck = dir.resolve("ck");
        CliRunner.Result r = CliRunner.run(args(recipe("a", "1e-4"), dir.resolve("a"), "--checkpoint", ck.toString()));
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(ck.resolve("state.json")), "an explicit --checkpoint is kept");
        Path out = dir.resolve("b");
        r = CliRunner.run(args(recipe("a", "2e-4"), out, "--resume", ck.toString()));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("another model or recipe"), r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void cosentTrainsOnTheTrainPairs() throws Exception {
        Path co = dir.resolve("co.yaml");
        Files.writeString(co, "name: co\nmodifiers:\n  - prune: {method: magnitude, sparsity: 0.5}\n"
                + "  - distill: {steps: 2, losses: [cosine, cosent], cosent_weight: 0.1, batch: 4, max_tokens: 32}\n");
        Path out = dir.resolve("m");
        CliRunner.Result r = CliRunner.run(args(co, out, "--train-stsb", TestData.shared().resolve("stsb/stsb-en-train.csv").toString()));
        assertEquals(0, r.exit(), r.err());
        JsonNode step = new ObjectMapper().readTree(out.resolve("report.json").toFile()).get("training").get("log").get("steps").get(0);
        assertTrue(step.get("terms").has("cosent"), step.toString());
        assertEquals(step.get("terms").get("cosine").asDouble() + 0.1 * step.get("terms").get("cosent").asDouble(), step.get("loss").asDouble(), 1e-9);
        assertTrue(Files.readString(out.resolve("recipe.yaml")).contains("cosent_weight: 0.1"));
    }
}
