// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.calibrate.AttentionInspector;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lacuna attention inspect}: heatmaps of every head and the shape class each falls into. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Write per-layer PNG heatmaps of every head's attention and classify each head.")
public final class AttentionInspectCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "the text to run")
    String text;

    @Option(names = "--out", defaultValue = "attention-maps", paramLabel = "DIR", description = "directory for layer-L.png (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--cell", defaultValue = "160", paramLabel = "PX", description = "pixels per head heatmap (default: ${DEFAULT-VALUE})")
    int cell;

    @Override
    public Integer call() throws IOException {
        if (text.isBlank()) throw new LacunaException("--text is empty");
        LoadedModel lm = ModelLoader.load(common.model);
        Files.createDirectories(out);
        List<AttentionInspector.HeadView> views = AttentionInspector.inspect(lm.encoder(), text, out, cell, common.threads());
        for (AttentionInspector.HeadView v : views) System.out.println(v.json());
        System.err.println("lacuna: wrote heatmaps to " + out);
        return 0;
    }
}
