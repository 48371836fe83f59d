// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.util.Locale;
import java.util.Random;

/**
 * Lab (not a test): one micro-kernel on one tile whose operands sit in L1/L2, against the FMA peak
 * measured interleaved on the same thread. Separates code generation (this) from blocking (GemmLab).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.lacuna.kernel.internal.MicroKernelLab [k]
 * </pre>
 */
public final class MicroKernelLab {
    private MicroKernelLab() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 384;
        int nr = VectorGemm.NR, mr = args.length > 1 ? Integer.parseInt(args[1]) : 6, rows = 60;
        Random r = new Random(1);
        float[] x = new float[rows * k], w = new float[k * nr], y = new float[rows * nr], bias = new float[nr];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        for (int round = 0; round < 6; round++) {
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 400; rep++) {
                long t0 = System.nanoTime();
                for (int i = 0; i + mr <= rows; i += mr) {
                    if (VectorGemm.NV == 2) {
                        switch (mr) {
                            case 6 -> VectorGemmKernels.k6v2(x, i * k, k, w, 0, y, i * nr, nr, 0, k);
                            case 5 -> VectorGemmKernels.k5v2(x, i * k, k, w, 0, y, i * nr, nr, 0, k);
                            default -> VectorGemmKernels.k4v2(x, i * k, k, w, 0, y, i * nr, nr, 0, k);
                        }
                    } else {
                        VectorGemmKernels.k6v4(x, i * k, k, w, 0, y, i * nr, nr, 0, k);
                    }
                }
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
            }
            double gf = 2.0 * (rows / mr * mr) * nr * k / best / 1e9;
            long it = 2_000_000;
            long t0 = System.nanoTime();
            MachineProbe.fma(it);
            double peak = MachineProbe.fmaFlops(it) / ((System.nanoTime() - t0) * 1e-9) / 1e9;
            System.out.printf("k=%d tile %dx%d: %.1f GFLOP/s, peak now %.1f, %.0f%%%n", k, mr, nr, gf, peak, 100 * gf / peak);
        }
    }
}
