// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.bench.GemmBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna bench gemm}: the dense GEMM on one shape, as GFLOP/s and as a fraction of the measured peak. */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "Time the dense GEMM y[M,N] = x[M,K] · Wᵀ + b against this machine's FMA peak. Last stdout line is JSON.")
public final class BenchGemmCommand implements Callable<Integer> {
    @Option(names = "--m", defaultValue = "2048", paramLabel = "TOKENS", description = "rows of x (default: ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--n", defaultValue = "1536", paramLabel = "OUT", description = "output features, rows of W (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--k", defaultValue = "384", paramLabel = "IN", description = "input features (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "S", description = "measured seconds after a 1 s warm-up (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the random operands (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        if (m < 1 || n < 1 || k < 1) throw new LacunaException("--m, --n and --k must be >= 1, got " + m + ", " + n + ", " + k);
        if (!(seconds > 0) || seconds > 3600) throw new LacunaException("--seconds must be in (0, 3600], got " + seconds);
        if ((long) m * k + (long) n * k + (long) m * n > 400_000_000L) {
            throw new LacunaException("--m " + m + " --n " + n + " --k " + k + " needs more than 1,600 MiB of operands; use smaller shapes");
        }
        int t = threads.get();
        GemmBenchmark.Result r = GemmBenchmark.run(m, n, k, t, seconds, seed);
        System.err.printf(Locale.ROOT, "y[%d,%d] = x[%d,%d]·Wᵀ on %d threads (%s): %.3f ms, %.1f GFLOP/s of a measured %.1f peak = %.0f%% (%s)%n",
                m, n, m, k, t, r.kernels(), r.seconds() * 1e3, r.gflops(), r.peakGflops(), 100 * r.efficiency(), r.cpu());
        System.out.println(r.json());
        return 0;
    }
}
