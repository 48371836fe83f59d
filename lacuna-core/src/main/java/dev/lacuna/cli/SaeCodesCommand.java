// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.sae.ActivationCapture;
import dev.lacuna.sae.HeadCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna sae codes}: heads whose discretised SAE codes separate positive from negative texts. */
@Command(name = "codes", mixinStandardHelpOptions = true, description = "Per attention head, train a k=1 SAE codebook on its output and report the heads whose codes separate positive from negative texts.")
public final class SaeCodesCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--pos", required = true, paramLabel = "FILE", description = "positive example texts, one per line (or STS-B .csv)")
    Path pos;

    @Option(names = "--neg", required = true, paramLabel = "FILE", description = "negative example texts, one per line (or STS-B .csv)")
    Path neg;

    @Option(names = "--codes", defaultValue = "16", paramLabel = "C", description = "codebook size per head (default: ${DEFAULT-VALUE})")
    int codes;

    @Option(names = "--steps", defaultValue = "150", paramLabel = "N", description = "training steps per head (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--top", defaultValue = "10", paramLabel = "N", description = "heads to report (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        if (codes < 2) throw new LacunaException("--codes must be >= 2, got " + codes);
        if (steps < 1 || top < 1) throw new LacunaException("--steps and --top must be >= 1");
        List<String> p = ActivationCapture.readTexts(pos, line -> System.err.println("lacuna: " + line)), n = ActivationCapture.readTexts(neg, line -> System.err.println("lacuna: " + line));
        if (p.size() < 2 || n.size() < 2) throw new LacunaException("need at least 2 positive and 2 negative texts, got " + p.size() + " and " + n.size());
        LoadedModel lm = common.load();
        var c = lm.encoder().model().config();
        List<HeadCodes.HeadScore> scores;
        try (Parallel par = new Parallel(common.threads());
             Progress prog = Progress.of("codes", (long) c.numHiddenLayers() * c.numAttentionHeads(), 0)) {
            scores = HeadCodes.score(par, lm.encoder(), p, n, codes, steps, seed, prog);
        }
        StringBuilder sb = new StringBuilder("{\"positives\":" + p.size() + ",\"negatives\":" + n.size() + ",\"heads\":[");
        for (int i = 0; i < Math.min(top, scores.size()); i++) {
            HeadCodes.HeadScore s = scores.get(i);
            System.out.printf(Locale.ROOT, "layer %d head %2d  accuracy %.3f  tv %.3f%n", s.layer(), s.head(), s.accuracy(), s.tv());
            if (i > 0) sb.append(',');
            sb.append(String.format(Locale.ROOT, "{\"layer\":%d,\"head\":%d,\"accuracy\":%.4f,\"tv\":%.4f}", s.layer(), s.head(), s.accuracy(), s.tv()));
        }
        System.out.println(sb.append("]}"));
        return 0;
    }
}
