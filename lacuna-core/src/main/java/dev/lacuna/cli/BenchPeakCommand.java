// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.bench.MachinePeak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna bench peak}: this machine's FMA peak and memory bandwidth, the denominators of efficiency. */
@Command(name = "peak", mixinStandardHelpOptions = true,
        description = "Measure this machine's FMA peak (one core and the team of --threads) and read bandwidth. Last stdout line is JSON.")
public final class BenchPeakCommand implements Callable<Integer> {
    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        int t = threads.get();
        MachinePeak.Result r = MachinePeak.measure(t);
        System.err.printf(Locale.ROOT, "%s, %d-bit vectors: FMA %.1f GFLOP/s per core, %.1f on %d threads; read bandwidth %.1f GB/s on %d threads%n",
                r.cpu(), r.vectorBits(), r.fmaGflopsPerCore(), r.fmaGflops(), t, r.bandwidthGbs(), t);
        System.out.println(r.json());
        return 0;
    }
}
