// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.sparse.KernelBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code lacuna bench kernel}: one sparse weight kernel against the dense GEMM, side by side. */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Time a sparse weight kernel against the dense GEMM on one shape (y[T,N] = x[T,K] · Wᵀ). Last stdout line is JSON.")
public final class BenchKernelCommand implements Callable<Integer> {
    @Option(names = "--pattern", required = true, paramLabel = "P", description = "unstructured, N:M (e.g. 2:4) or block:RxC (e.g. block:4x4)")
    String pattern;

    @Option(names = "--sparsity", required = true, paramLabel = "S", description = "fraction of weights pruned (for N:M: 1 - N/M)")
    double sparsity;

    @Option(names = "--rows", defaultValue = "1536", paramLabel = "N", description = "output features (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--cols", defaultValue = "384", paramLabel = "K", description = "input features (default: ${DEFAULT-VALUE})")
    int cols;

    @Option(names = "--tokens", defaultValue = "4096", paramLabel = "T", description = "tokens (rows of x) (default: ${DEFAULT-VALUE})")
    int tokens;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the random weight and input (default: ${DEFAULT-VALUE})")
    long seed;


    @Override
    public Integer call() {
        int t = threads.get();
        KernelBenchmark.Result r = KernelBenchmark.run(pattern, sparsity, rows, cols, tokens, t, seed);
        System.err.printf(java.util.Locale.ROOT, "%s %.0f%% on W[%d,%d] x %d tokens, %d threads: dense %.3f ms, %s %.3f ms, speedup %.2fx (max error %.1e)%n",
                pattern, 100 * r.sparsity(), rows, cols, tokens, t, r.denseMs(), r.kernel(), r.sparseMs(), r.speedup(), r.maxError());
        System.out.println(r.json());
        return 0;
    }
}
