// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.eval.Stsb;
import dev.lacuna.eval.StsbEvaluator;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna eval stsb}: Spearman x100 of cosine similarity against the gold scores. */
@Command(name = "stsb", mixinStandardHelpOptions = true, description = "STS Benchmark: Spearman x100 of cosine vs gold.")
public final class EvalStsbCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv", description = "STS-B CSV: sentence1,sentence2,score")
    Path data;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "sentences per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--engine", defaultValue = "lacuna", paramLabel = "E",
            description = "lacuna, onnxruntime or onnxruntime-int8 (the peer on the same model, for comparison; default: ${DEFAULT-VALUE})")
    String engine;

    @Override
    public Integer call() {
        if (batch < 1) throw new LacunaException("--batch must be >= 1, got " + batch);
        List<StsbPair> pairs = Stsb.read(data);
        LoadedModel lm = common.load();
        double rho;
        try (Parallel par = new Parallel(common.threads())) {
            rho = switch (engine) {
                case "lacuna" -> StsbEvaluator.spearman(pairs, lm.encoder().embedder(par, batch));
                case "onnxruntime", "onnxruntime-int8" -> {
                    try (var peer = lm.peer(engine, common.threads())) {
                        yield StsbEvaluator.spearman(pairs, peer.embedder(lm.encoder(), batch));
                    }
                }
                default -> throw new LacunaException("unknown --engine '" + engine + "' (lacuna, onnxruntime, onnxruntime-int8)");
            };
        }
        System.out.println(String.format(Locale.ROOT, "{\"pairs\":%d,\"spearman\":%.4f}", pairs.size(), rho));
        return 0;
    }
}
