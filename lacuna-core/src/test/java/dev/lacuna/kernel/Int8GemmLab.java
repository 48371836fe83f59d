// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Int8Gemm;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.tensor.FloatTensor;

import java.util.Locale;
import java.util.Random;

/**
 * Int8 (W8A32) against the dense fp32 GEMM on the encoder's projection shapes (not a test): GFLOP/s
 * of each and the int8 / dense time ratio, best of short samples ({@link GemmLab#time}).
 *
 * <pre>
 * JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -q test-compile
 * $JAVA_HOME/bin/java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     dev.lacuna.kernel.Int8GemmLab [seconds-per-point] [threads]
 * </pre>
 */
public final class Int8GemmLab {
    private Int8GemmLab() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        double budget = args.length > 0 ? Double.parseDouble(args[0]) : 0.3;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        System.out.println("dense kernels: " + KernelProvider.get().name() + ", int8 kernels: " + Int8Gemm.get().name() + ", threads " + threads);
        System.out.printf("%-10s %6s %12s %12s %14s%n", "W [N,K]", "tokens", "fp32 GFLOP/s", "int8 GFLOP/s", "int8 time/fp32");
        Random r = new Random(1);
        try (Parallel par = new Parallel(threads)) {
            // A first pass untimed: C2 compiles every kernel (on a busy machine that takes a while), then the measured one.
            for (boolean measured : new boolean[] {false, true}) {
            for (int[] s : new int[][] {{384, 384}, {1536, 384}, {384, 1536}}) {
                int n = s[0], k = s[1];
                FloatTensor w = new FloatTensor(new int[] {n, k}, GemmLab.rand(r, n * k));
                FloatTensor b = new FloatTensor(new int[] {n}, GemmLab.rand(r, n));
                Linear dense = new DenseLinear(w, b), int8 = Int8Linear.quantize(w, b);
                for (int m : new int[] {16, 128, 2048}) {
                    float[] x = GemmLab.rand(r, m * k), y = new float[m * n];
                    double td = GemmLab.time(() -> dense.apply(par, x, m, y), measured ? budget : budget / 4);
                    double tq = GemmLab.time(() -> int8.apply(par, x, m, y), measured ? budget : budget / 4);
                    if (!measured) continue;
                    double flop = 2.0 * m * n * k;
                    System.out.printf("%-10s %6d %12.1f %12.1f %14.3f%n", n + "x" + k, m, flop / td * 1e-9, flop / tq * 1e-9, tq / td);
                }
            }
            }
        }
    }
}
