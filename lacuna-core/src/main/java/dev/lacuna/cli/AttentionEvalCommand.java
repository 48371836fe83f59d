// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.attention.calibrate.AttentionBenchmark;
import dev.lacuna.attention.calibrate.PlanEvaluation;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.sparsify.CalibrationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna attention eval}: a plan's embedding fidelity and attention sparsity on long windows of held-out text. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Embed windows of real text with and without an attention plan; report cosine and attention sparsity. Last stdout line is JSON.")
public final class AttentionEvalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--text", paramLabel = "FILE", description = "text, one paragraph per line (default: WikiText-2 valid from ../shared/data if present, else embedded English text)")
    Path text;

    @Option(names = "--length", defaultValue = "256", paramLabel = "N", description = "tokens per window (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--windows", defaultValue = "64", paramLabel = "W", description = "windows embedded (default: ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--skip", defaultValue = "16", paramLabel = "S", description = "windows skipped first, e.g. those calibration used "
            + "(calibrate uses 2 x --windows) (default: ${DEFAULT-VALUE})")
    int skip;

    @Override
    public Integer call() {
        if (common.attention == null) throw new LacunaException("attention eval needs --attention PLAN.yaml");
        if (length < 8 || length > 4096) throw new LacunaException("--length must be in [8, 4096], got " + length);
        LoadedModel lm = ModelLoader.load(common.model);
        SparsePlan plan = common.readPlan(lm);
        List<String> lines = text != null ? CalibrationText.fromFile(text, 1_000_000) : AttentionBenchmark.calibrationText();
        PlanEvaluation.Result r = PlanEvaluation.evaluate(lm.encoder(), plan, lines, length, skip, windows, common.threads());
        System.out.println(String.format(Locale.ROOT, "{\"windows\":%d,\"length\":%d,\"mean_cosine\":%.6f,\"min_cosine\":%.6f,\"sparsity\":%.4f}",
                r.windows(), r.windowTokens(), r.meanCosine(), r.minCosine(), r.sparsity()));
        return 0;
    }
}
