// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.attention.ModelIdentity;
import dev.lacuna.load.ModelFingerprint;
import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16, finding 5: a plan records the model it was written for, and another model's plan is refused. */
class PlanModelIdentityTest {
    @TempDir
    Path dir;

    private static ModelIdentity defaultModel;

    @BeforeAll
    static void fingerprint() {
        defaultModel = ModelFingerprint.of(ModelLoader.load("default"));
    }

    private Path plan(String name, String identity) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "format: lacuna-attention-plan/1\nmodel: default\n" + identity + "layers: 6\nheads: 12\nplan:\n"
                + "- {layer: 0, head: 0, method: window, params: {window: 2}}\n");
        return p;
    }

    private CliRunner.Result embed(Path plan, String... extra) throws IOException {
        Path in = dir.resolve("in.txt");
        Files.writeString(in, "hello world\n");
        String[] args = new String[6 + extra.length];
        System.arraycopy(new String[] {"embed", "--input", in.toString(), "--attention", plan.toString()}, 0, args, 0, 5);
        args[5] = "--output=" + dir.resolve("out-" + System.nanoTime() + ".jsonl");
        System.arraycopy(extra, 0, args, 6, extra.length);
        return CliRunner.run(args);
    }

    @Test
    void fingerprintsAreStableAndSeeConfigAndWeights() {
        ModelIdentity again = ModelFingerprint.of(ModelLoader.load("default"));
        assertEquals(defaultModel, again);
        assertTrue(defaultModel.config().matches("sha256:[0-9a-f]{16}"), defaultModel.config());
        ModelIdentity bge = ModelFingerprint.of(ModelLoader.load("bge-small-q"));
        assertNotEquals(defaultModel.config(), bge.config());
        assertNotEquals(defaultModel.weights(), bge.weights());
    }

    @Test
    void calibrateRecordsTheModelAndItsPlanAppliesWithoutAWord() throws IOException {
        Path calib = Files.writeString(dir.resolve("calib.txt"), "The quick brown fox jumps over the lazy dog near the river bank.\n".repeat(40));
        Path plan = dir.resolve("cal.yaml");
        CliRunner.Result c = CliRunner.run("attention", "calibrate", "--calib", calib.toString(), "--length", "16", "--windows", "1",
                "--recall", "0.9", "--out", plan.toString());
        assertEquals(0, c.exit(), c.err());
        String yaml = Files.readString(plan);
        assertTrue(yaml.contains("config: " + defaultModel.config()) && yaml.contains("weights: " + defaultModel.weights()), yaml);
        CliRunner.Result r = embed(plan);
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void aPlanForThisModelRunsWithoutAWord() throws IOException {
        Path p = plan("mine.yaml", "model_identity: {config: '" + defaultModel.config() + "', weights: '" + defaultModel.weights() + "'}\n");
        CliRunner.Result r = embed(p);
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void aPlanForAnotherModelIsAnErrorNamingBothUnlessForced() throws IOException {
        Path p = plan("other.yaml", "model_identity: {config: '" + defaultModel.config() + "', weights: 'sha256:0123456789abcdef'}\n");
        CliRunner.Result r = embed(p);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("weights sha256:0123456789abcdef"), r.err());
        assertTrue(r.err().contains("weights " + defaultModel.weights()), r.err());
        assertTrue(r.err().contains("--force"), r.err());

        CliRunner.Result forced = embed(p, "--force");
        assertEquals(0, forced.exit(), forced.err());
        assertEquals(1, forced.errLines().length, forced.err());
        assertTrue(forced.err().startsWith("lacuna: warning: ") && forced.err().contains("--force"), forced.err());
    }

    @Test
    void anOlderPlanWithoutIdentityLoadsWithAWarning() throws IOException {
        CliRunner.Result r = embed(plan("old.yaml", ""));
        assertEquals(0, r.exit(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("records no model identity"), r.err());
    }
}
