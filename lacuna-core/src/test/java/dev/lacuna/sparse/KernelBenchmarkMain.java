// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

/**
 * Prints {@link KernelBenchmark} rows for a list of cases (a developer tool, not a test):
 * {@code pattern sparsity rows cols tokens threads} per argument group of six.
 */
public final class KernelBenchmarkMain {
    private KernelBenchmarkMain() {}

    public static void main(String[] args) {
        for (int i = 0; i + 5 < args.length; i += 6) {
            KernelBenchmark.Result r = KernelBenchmark.run(args[i], Double.parseDouble(args[i + 1]), Integer.parseInt(args[i + 2]),
                    Integer.parseInt(args[i + 3]), Integer.parseInt(args[i + 4]), Integer.parseInt(args[i + 5]), 42);
            System.out.printf(java.util.Locale.ROOT, "%-12s s=%.2f %5dx%-5d T=%-5d thr=%d  dense %9.3f ms  sparse %9.3f ms  x%6.2f  %s err=%.1e reps=%d%n",
                    r.pattern(), r.sparsity(), r.rows(), r.cols(), r.tokens(), r.threads(), r.denseMs(), r.sparseMs(), r.speedup(), r.kernel(), r.maxError(), r.reps());
        }
    }
}
