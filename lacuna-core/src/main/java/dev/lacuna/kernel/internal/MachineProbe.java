// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two ceilings every kernel is measured against, probed on this machine with the kernels' own
 * {@link Species}: the FMA throughput of one thread (register-only, no memory traffic) and the read
 * bandwidth of streaming a large array. Callers run these on as many threads as they want the team's
 * figure for.
 *
 * <p>The FMA loop keeps twelve independent accumulators: two FMA ports of four-cycle latency (Intel
 * Xeon with two 512-bit ports, AMD Zen 3/4) need eight in flight, twelve leave slack and still fit
 * the sixteen registers of AVX2.
 */
public final class MachineProbe {
    private MachineProbe() {}

    private static final VectorSpecies<Float> S = Species.FLOAT;
    /** Defeats dead-code elimination of the probe loops. */
    private static volatile float sink;

    /** Floating-point operations of {@link #fma} with {@code iterations}: 12 FMAs of L lanes, 2 flops each. */
    public static double fmaFlops(long iterations) {
        return iterations * 12.0 * 2 * S.length();
    }

    /** Twelve independent FMA chains for {@code iterations} steps, all in registers. */
    public static void fma(long iterations) {
        // Twelve different starting values: identical chains would be merged into one by C2.
        FloatVector a = FloatVector.broadcast(S, 0.999f), b = FloatVector.broadcast(S, 1e-3f);
        FloatVector c0 = start(0), c1 = start(1), c2 = start(2), c3 = start(3), c4 = start(4), c5 = start(5);
        FloatVector c6 = start(6), c7 = start(7), c8 = start(8), c9 = start(9), c10 = start(10), c11 = start(11);
        for (long i = 0; i < iterations; i++) {
            // c += a·b with c the addend: one vfmadd231 per step on the accumulator's own register,
            // as in the GEMM's micro-kernels (c = c·a + b would make C2 copy b before every FMA)
            c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
            c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
            c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
        }
        sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Floating-point operations of {@link #scalarFma}: 8 scalar FMAs per step. */
    public static double scalarFmaFlops(long iterations) {
        return iterations * 8.0 * 2;
    }

    /** Eight independent scalar FMA chains: a reference that C1 and C2 compile within milliseconds. */
    public static void scalarFma(long iterations) {
        float a = 0.999f, b = 1e-3f;
        float c0 = 0.5f, c1 = 0.51f, c2 = 0.52f, c3 = 0.53f, c4 = 0.54f, c5 = 0.55f, c6 = 0.56f, c7 = 0.57f;
        for (long i = 0; i < iterations; i++) {
            c0 = Math.fma(a, b, c0); c1 = Math.fma(a, b, c1); c2 = Math.fma(a, b, c2); c3 = Math.fma(a, b, c3);
            c4 = Math.fma(a, b, c4); c5 = Math.fma(a, b, c5); c6 = Math.fma(a, b, c6); c7 = Math.fma(a, b, c7);
        }
        sink = c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7;
    }

    private static FloatVector start(int chain) {
        return FloatVector.broadcast(S, 0.5f + 0.01f * chain);
    }

    /**
     * Reads a[from, to) once with four independent vector sums (so the adds never limit the stream).
     * Bytes read: 4 · (to - from).
     */
    public static void stream(float[] a, int from, int to) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int l = S.length();
        int i = from;
        for (; i + 4 * l <= to; i += 4 * l) {
            s0 = s0.add(FloatVector.fromArray(S, a, i));
            s1 = s1.add(FloatVector.fromArray(S, a, i + l));
            s2 = s2.add(FloatVector.fromArray(S, a, i + 2 * l));
            s3 = s3.add(FloatVector.fromArray(S, a, i + 3 * l));
        }
        float tail = 0;
        for (; i < to; i++) tail += a[i];
        sink = s0.add(s1).add(s2).add(s3).reduceLanes(VectorOperators.ADD) + tail;
    }

    /** Float lanes per vector. */
    public static int lanes() {
        return S.length();
    }
}
