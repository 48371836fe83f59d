// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.attention.calibrate.AttentionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lacuna attention bench}: one method against the dense flash kernel at one length. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark a sparse attention method against dense flash attention. Last stdout line is JSON.")
public final class AttentionBenchCommand implements Callable<Integer> {
    @Option(names = "--method", required = true, paramLabel = "M", description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Methods.class)
    String method;

    @Option(names = "--length", required = true, paramLabel = "N", description = "sequence length (tokens)")
    int length;

    @Option(names = "--heads", defaultValue = "12", paramLabel = "H", description = "heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--head-dim", defaultValue = "32", paramLabel = "D", description = "head dimension (default: ${DEFAULT-VALUE})")
    int headDim;

    @Option(names = "--source", defaultValue = "real", paramLabel = "S", description = "real (q/k/v captured from MiniLM on real text) or synthetic (default: ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--recall", paramLabel = "R", description = "tune the method's budget to this attention-mass recall, in (0, 1]")
    Double recall;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "method parameter (repeatable); --list-methods prints every method's parameters and defaults")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    ThreadsOption threads;

    @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @SuppressWarnings("deprecation") // help = true: the required options are not asked for
    @Option(names = "--list-methods", help = true, description = "print every method with its parameters and defaults, one per line, and exit")
    boolean listMethods;

    static final class Methods extends java.util.ArrayList<String> {
        Methods() {
            super(MethodSpec.METHODS);
        }
    }

    @Override
    public Integer call() {
        if (listMethods) {
            MethodSpec.describe().forEach(System.out::println);
            return 0;
        }
        if (!MethodSpec.METHODS.contains(method)) throw new LacunaException("unknown --method '" + method + "' (" + String.join(", ", MethodSpec.METHODS) + ")");
        if (length < 1) throw new LacunaException("--length must be >= 1, got " + length);
        if (recall != null && !(recall > 0 && recall <= 1)) throw new LacunaException("--recall must be in (0, 1], got " + recall);
        if (!source.equals("real") && !source.equals("synthetic")) throw new LacunaException("--source must be real or synthetic, got '" + source + "'");
        int t = threads.get();
        if (method.equals("dense")) {
            // the baseline itself: its throughput, to set against the GEMM's (docs/BENCHMARKS.md)
            AttentionBenchmark.Throughput tp = AttentionBenchmark.denseThroughput(length, heads, headDim, t, seed);
            System.err.println("lacuna: dense flash attention " + tp.json());
        }
        AttentionBenchmark.Result r = AttentionBenchmark.run(method, params, length, heads, headDim, source,
                recall == null ? Double.NaN : recall, t, seed);
        System.out.println(r.json());
        return 0;
    }
}
