// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.kernel.internal.MachineProbe;

import java.util.Locale;
import java.util.Random;

/**
 * Lab (not a test): the exact attention kernels on the heads of T tokens (head dim D, 384 / D heads, row
 * stride 384), one thread, GFLOP/s counted as 4·T²·D per head (Q·Kᵀ and P·V), against the FMA peak
 * measured interleaved: {@link QueryLanes} (what the dense kernel runs up to 1,024 tokens with 32 vector
 * registers) and the flash engine at each tile size.
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
        FlashAttention[] kernels = new FlashAttention[tiles.length];
        for (int i = 0; i < tiles.length; i++) kernels[i] = new FlashAttention(false, tiles[i]);
        QueryLanes lanes = new QueryLanes();
        int heads = stride / d;
        for (int round = 0; round < 8; round++) {
            StringBuilder sb = new StringBuilder();
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 200; rep++) {
                long t0 = System.nanoTime();
                for (int h = 0; h < heads; h++) lanes.attendRows(q, k, v, out, stride, 0, t, h * d, d, scale, 0, t, null);
                best = Math.min(best, (System.nanoTime() - t0) * 1e-9 / heads);
            }
            sb.append(String.format("  query lanes: %.1f GFLOP/s (%.0f us)", 4.0 * t * t * d / best / 1e9, best * 1e6));
            for (int i = 0; i < kernels.length; i++) {
                best = Double.MAX_VALUE;
                for (int rep = 0; rep < 200; rep++) {
                    long t0 = System.nanoTime();
                    for (int h = 0; h < heads; h++) kernels[i].flashRows(q, k, v, out, stride, 0, t, h * d, d, scale, 0, t, null);
                    best = Math.min(best, (System.nanoTime() - t0) * 1e-9 / heads);
                }
                sb.append(String.format("  flash tile %d: %.1f GFLOP/s (%.0f us)", tiles[i], 4.0 * t * t * d / best / 1e9, best * 1e6));
            }
            long it = 2_000_000;
            long f0 = System.nanoTime();
            MachineProbe.fma(it);
            double peak = MachineProbe.fmaFlops(it) / ((System.nanoTime() - f0) * 1e-9) / 1e9;
            System.out.printf("T=%d D=%d%s | peak now %.1f%n", t, d, sb, peak);
        }
    }
}
