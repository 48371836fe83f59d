// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.kernel.internal.MachineProbe;

import java.util.Locale;
import java.util.Random;

/**
 * Lab (not a test): the exact attention kernel on one head of T tokens (head dim D, row stride 384),
 * one thread, GFLOP/s counted as 4·T²·D (Q·Kᵀ and P·V), against the FMA peak measured interleaved.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.lacuna.attention.FlashLab [T] [D] [tile...]
 * </pre>
 */
public final class FlashLab {
    private FlashLab() {}

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        int t = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int d = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int[] tiles = args.length > 2 ? java.util.Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {64};
        int stride = 384;
        Random r = new Random(5);
        float[] q = new float[t * stride], k = new float[t * stride], v = new float[t * stride], out = new float[t * stride];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextGaussian();
            k[i] = (float) r.nextGaussian();
            v[i] = (float) r.nextGaussian();
        }
        float scale = (float) (1 / Math.sqrt(d));
        AttentionKernel[] kernels = new AttentionKernel[tiles.length];
        for (int i = 0; i < tiles.length; i++) kernels[i] = new FlashAttention(false, tiles[i]);
        float[] scratch = new float[1 << 16];
        for (int round = 0; round < 8; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < kernels.length; i++) {
                double best = Double.MAX_VALUE;
                for (int rep = 0; rep < 200; rep++) {
                    long t0 = System.nanoTime();
                    kernels[i].attend(q, k, v, out, stride, 0, t, 0, d, scale, scratch);
                    best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
                }
                sb.append(String.format("  tile %d: %.1f GFLOP/s (%.0f us)", tiles[i], 4.0 * t * t * d / best / 1e9, best * 1e6));
            }
            long it = 2_000_000;
            long f0 = System.nanoTime();
            MachineProbe.fma(it);
            double peak = MachineProbe.fmaFlops(it) / ((System.nanoTime() - f0) * 1e-9) / 1e9;
            System.out.printf("T=%d D=%d%s | peak now %.1f%n", t, d, sb, peak);
        }
    }
}
