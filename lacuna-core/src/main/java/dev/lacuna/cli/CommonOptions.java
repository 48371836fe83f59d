// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.attention.SparsePlan;
import dev.lacuna.load.AttentionPlans;
import dev.lacuna.load.LoadedModel;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Options every command that runs a model shares. */
public final class CommonOptions {
    @Option(names = "--model", defaultValue = "default", paramLabel = "M",
            description = "default (all-MiniLM-L6-v2), bge-small-q, a .onnx file, or a directory with config.json + model.safetensors (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--attention", paramLabel = "PLAN.yaml", description = "run attention with a per-head plan from 'lacuna attention calibrate'")
    java.nio.file.Path attention;

    @Option(names = "--force", description = "apply an --attention plan written for another model (a warning instead of an error)")
    boolean force;

    /** The model named by --model, with the --attention plan applied when given. */
    LoadedModel load() {
        LoadedModel lm = dev.lacuna.load.ModelLoader.load(model);
        return attention == null ? lm : AttentionPlans.apply(lm, attention, force, CommonOptions::warn);
    }

    /** The --attention plan, checked to fit {@code lm} and to be written for it ({@link AttentionPlans#read}). */
    SparsePlan readPlan(LoadedModel lm) {
        return AttentionPlans.read(lm, attention, force, CommonOptions::warn);
    }

    private static void warn(String line) {
        System.err.println("lacuna: warning: " + line);
    }

    /** The paths this command may read: --model (as a path; a name is no file), --attention, then {@code more}. */
    Path[] inputs(Path... more) {
        return Stream.concat(Stream.of(Path.of(model), attention), Arrays.stream(more)).toArray(Path[]::new);
    }

    int threads() {
        return threads.get();
    }
}
