// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.lacuna.sparse.VectorSparseProducts.*;

/**
 * A lab, not a test: the cost of one L x L output transpose (L = 8 or 16) with source and
 * destination in L1, in ns per block. {@code gen}: the generated kernel (a rearrange and a blend per
 * butterfly half for L = 8, a two-source {@code selectFrom} for L = 16); {@code alt}: the other form
 * (for L = 8 the two-source {@code selectFrom} the generated kernel was until 2026-12-08, which AVX2
 * emulates; for L = 16 rearrange and blend); {@code int}: the two-source {@code selectFrom} on int
 * lanes (no float-to-int index conversion). On Zen 3 (L = 8), 2026-12-08: the two-source form 38-45 ns,
 * {@code int} 40, rearrange and blend 18-21. Run from lacuna-core/ after test-compile: {@code java
 * --add-modules jdk.incubator.vector -cp target/classes:target/test-classes dev.lacuna.sparse.TransposeLab gen|alt|int}.
 */
public final class TransposeLab {
    private TransposeLab() {}

    // For blendTranspose16, each butterfly half as one single-source permute and one masked blend
    // (the generated L = 8 kernel's form): lo[i] = bit d of i clear ? a[i] : b[i - d]; hi[i] = bit clear ? a[i + d] : b[i].
    static final VectorShuffle<Float> UP0 = up(0), UP1 = up(1), UP2 = up(2), UP3 = up(3);
    static final VectorShuffle<Float> DOWN0 = down(0), DOWN1 = down(1), DOWN2 = down(2), DOWN3 = down(3);
    static final VectorMask<Float> BIT0 = bit(0), BIT1 = bit(1), BIT2 = bit(2), BIT3 = bit(3);
    // The two-source butterfly's float indices (VectorSparseProducts.LO/HI) as ints (no conversion per permute).
    static final IntVector ILO0 = ints(LO0), IHI0 = ints(HI0), ILO1 = ints(LO1), IHI1 = ints(HI1);
    static final IntVector ILO2 = ints(LO2), IHI2 = ints(HI2), ILO3 = ints(LO3), IHI3 = ints(HI3);

    private static VectorShuffle<Float> up(int s) {
        int d = 1 << s;
        int[] idx = new int[L];
        for (int i = 0; i < L; i++) idx[i] = (i + d) % L;
        return VectorShuffle.fromArray(S, idx, 0);
    }

    private static VectorShuffle<Float> down(int s) {
        int d = 1 << s;
        int[] idx = new int[L];
        for (int i = 0; i < L; i++) idx[i] = (i - d + L) % L;
        return VectorShuffle.fromArray(S, idx, 0);
    }

    private static VectorMask<Float> bit(int s) {
        boolean[] b = new boolean[L];
        for (int i = 0; i < L; i++) b[i] = (i & (1 << s)) != 0;
        return VectorMask.fromArray(S, b, 0);
    }

    private static IntVector ints(FloatVector v) {
        return v == null ? null : (IntVector) v.convert(VectorOperators.F2I, 0);
    }

    static void selectTranspose8(MemorySegment src, long so, long ss, float[] dst, int dO, int ds) {
        FloatVector r0 = load(src, so + 0 * ss);
        FloatVector r1 = load(src, so + 1 * ss);
        FloatVector r2 = load(src, so + 2 * ss);
        FloatVector r3 = load(src, so + 3 * ss);
        FloatVector r4 = load(src, so + 4 * ss);
        FloatVector r5 = load(src, so + 5 * ss);
        FloatVector r6 = load(src, so + 6 * ss);
        FloatVector r7 = load(src, so + 7 * ss);
        FloatVector s0_0 = LO0.selectFrom(r0, r1), s0_1 = HI0.selectFrom(r0, r1);
        FloatVector s0_2 = LO0.selectFrom(r2, r3), s0_3 = HI0.selectFrom(r2, r3);
        FloatVector s0_4 = LO0.selectFrom(r4, r5), s0_5 = HI0.selectFrom(r4, r5);
        FloatVector s0_6 = LO0.selectFrom(r6, r7), s0_7 = HI0.selectFrom(r6, r7);
        FloatVector s1_0 = LO1.selectFrom(s0_0, s0_2), s1_2 = HI1.selectFrom(s0_0, s0_2);
        FloatVector s1_1 = LO1.selectFrom(s0_1, s0_3), s1_3 = HI1.selectFrom(s0_1, s0_3);
        FloatVector s1_4 = LO1.selectFrom(s0_4, s0_6), s1_6 = HI1.selectFrom(s0_4, s0_6);
        FloatVector s1_5 = LO1.selectFrom(s0_5, s0_7), s1_7 = HI1.selectFrom(s0_5, s0_7);
        FloatVector s2_0 = LO2.selectFrom(s1_0, s1_4), s2_4 = HI2.selectFrom(s1_0, s1_4);
        FloatVector s2_1 = LO2.selectFrom(s1_1, s1_5), s2_5 = HI2.selectFrom(s1_1, s1_5);
        FloatVector s2_2 = LO2.selectFrom(s1_2, s1_6), s2_6 = HI2.selectFrom(s1_2, s1_6);
        FloatVector s2_3 = LO2.selectFrom(s1_3, s1_7), s2_7 = HI2.selectFrom(s1_3, s1_7);
        s2_0.intoArray(dst, dO + 0 * ds);
        s2_1.intoArray(dst, dO + 1 * ds);
        s2_2.intoArray(dst, dO + 2 * ds);
        s2_3.intoArray(dst, dO + 3 * ds);
        s2_4.intoArray(dst, dO + 4 * ds);
        s2_5.intoArray(dst, dO + 5 * ds);
        s2_6.intoArray(dst, dO + 6 * ds);
        s2_7.intoArray(dst, dO + 7 * ds);
    }

    static void intTranspose8(MemorySegment src, long so, long ss, float[] dst, int dO, int ds) {
        IntVector r0 = load(src, so + 0 * ss).reinterpretAsInts();
        IntVector r1 = load(src, so + 1 * ss).reinterpretAsInts();
        IntVector r2 = load(src, so + 2 * ss).reinterpretAsInts();
        IntVector r3 = load(src, so + 3 * ss).reinterpretAsInts();
        IntVector r4 = load(src, so + 4 * ss).reinterpretAsInts();
        IntVector r5 = load(src, so + 5 * ss).reinterpretAsInts();
        IntVector r6 = load(src, so + 6 * ss).reinterpretAsInts();
        IntVector r7 = load(src, so + 7 * ss).reinterpretAsInts();
        IntVector s0_0 = ILO0.selectFrom(r0, r1), s0_1 = IHI0.selectFrom(r0, r1);
        IntVector s0_2 = ILO0.selectFrom(r2, r3), s0_3 = IHI0.selectFrom(r2, r3);
        IntVector s0_4 = ILO0.selectFrom(r4, r5), s0_5 = IHI0.selectFrom(r4, r5);
        IntVector s0_6 = ILO0.selectFrom(r6, r7), s0_7 = IHI0.selectFrom(r6, r7);
        IntVector s1_0 = ILO1.selectFrom(s0_0, s0_2), s1_2 = IHI1.selectFrom(s0_0, s0_2);
        IntVector s1_1 = ILO1.selectFrom(s0_1, s0_3), s1_3 = IHI1.selectFrom(s0_1, s0_3);
        IntVector s1_4 = ILO1.selectFrom(s0_4, s0_6), s1_6 = IHI1.selectFrom(s0_4, s0_6);
        IntVector s1_5 = ILO1.selectFrom(s0_5, s0_7), s1_7 = IHI1.selectFrom(s0_5, s0_7);
        IntVector s2_0 = ILO2.selectFrom(s1_0, s1_4), s2_4 = IHI2.selectFrom(s1_0, s1_4);
        IntVector s2_1 = ILO2.selectFrom(s1_1, s1_5), s2_5 = IHI2.selectFrom(s1_1, s1_5);
        IntVector s2_2 = ILO2.selectFrom(s1_2, s1_6), s2_6 = IHI2.selectFrom(s1_2, s1_6);
        IntVector s2_3 = ILO2.selectFrom(s1_3, s1_7), s2_7 = IHI2.selectFrom(s1_3, s1_7);
        s2_0.reinterpretAsFloats().intoArray(dst, dO + 0 * ds);
        s2_1.reinterpretAsFloats().intoArray(dst, dO + 1 * ds);
        s2_2.reinterpretAsFloats().intoArray(dst, dO + 2 * ds);
        s2_3.reinterpretAsFloats().intoArray(dst, dO + 3 * ds);
        s2_4.reinterpretAsFloats().intoArray(dst, dO + 4 * ds);
        s2_5.reinterpretAsFloats().intoArray(dst, dO + 5 * ds);
        s2_6.reinterpretAsFloats().intoArray(dst, dO + 6 * ds);
        s2_7.reinterpretAsFloats().intoArray(dst, dO + 7 * ds);
    }

    static void blendTranspose16(MemorySegment src, long so, long ss, float[] dst, int dO, int ds) {
        FloatVector r0 = load(src, so + 0 * ss);
        FloatVector r1 = load(src, so + 1 * ss);
        FloatVector r2 = load(src, so + 2 * ss);
        FloatVector r3 = load(src, so + 3 * ss);
        FloatVector r4 = load(src, so + 4 * ss);
        FloatVector r5 = load(src, so + 5 * ss);
        FloatVector r6 = load(src, so + 6 * ss);
        FloatVector r7 = load(src, so + 7 * ss);
        FloatVector r8 = load(src, so + 8 * ss);
        FloatVector r9 = load(src, so + 9 * ss);
        FloatVector r10 = load(src, so + 10 * ss);
        FloatVector r11 = load(src, so + 11 * ss);
        FloatVector r12 = load(src, so + 12 * ss);
        FloatVector r13 = load(src, so + 13 * ss);
        FloatVector r14 = load(src, so + 14 * ss);
        FloatVector r15 = load(src, so + 15 * ss);
        FloatVector s0_0 = r0.blend(r1.rearrange(DOWN0), BIT0), s0_1 = r0.rearrange(UP0).blend(r1, BIT0);
        FloatVector s0_2 = r2.blend(r3.rearrange(DOWN0), BIT0), s0_3 = r2.rearrange(UP0).blend(r3, BIT0);
        FloatVector s0_4 = r4.blend(r5.rearrange(DOWN0), BIT0), s0_5 = r4.rearrange(UP0).blend(r5, BIT0);
        FloatVector s0_6 = r6.blend(r7.rearrange(DOWN0), BIT0), s0_7 = r6.rearrange(UP0).blend(r7, BIT0);
        FloatVector s0_8 = r8.blend(r9.rearrange(DOWN0), BIT0), s0_9 = r8.rearrange(UP0).blend(r9, BIT0);
        FloatVector s0_10 = r10.blend(r11.rearrange(DOWN0), BIT0), s0_11 = r10.rearrange(UP0).blend(r11, BIT0);
        FloatVector s0_12 = r12.blend(r13.rearrange(DOWN0), BIT0), s0_13 = r12.rearrange(UP0).blend(r13, BIT0);
        FloatVector s0_14 = r14.blend(r15.rearrange(DOWN0), BIT0), s0_15 = r14.rearrange(UP0).blend(r15, BIT0);
        FloatVector s1_0 = s0_0.blend(s0_2.rearrange(DOWN1), BIT1), s1_2 = s0_0.rearrange(UP1).blend(s0_2, BIT1);
        FloatVector s1_1 = s0_1.blend(s0_3.rearrange(DOWN1), BIT1), s1_3 = s0_1.rearrange(UP1).blend(s0_3, BIT1);
        FloatVector s1_4 = s0_4.blend(s0_6.rearrange(DOWN1), BIT1), s1_6 = s0_4.rearrange(UP1).blend(s0_6, BIT1);
        FloatVector s1_5 = s0_5.blend(s0_7.rearrange(DOWN1), BIT1), s1_7 = s0_5.rearrange(UP1).blend(s0_7, BIT1);
        FloatVector s1_8 = s0_8.blend(s0_10.rearrange(DOWN1), BIT1), s1_10 = s0_8.rearrange(UP1).blend(s0_10, BIT1);
        FloatVector s1_9 = s0_9.blend(s0_11.rearrange(DOWN1), BIT1), s1_11 = s0_9.rearrange(UP1).blend(s0_11, BIT1);
        FloatVector s1_12 = s0_12.blend(s0_14.rearrange(DOWN1), BIT1), s1_14 = s0_12.rearrange(UP1).blend(s0_14, BIT1);
        FloatVector s1_13 = s0_13.blend(s0_15.rearrange(DOWN1), BIT1), s1_15 = s0_13.rearrange(UP1).blend(s0_15, BIT1);
        FloatVector s2_0 = s1_0.blend(s1_4.rearrange(DOWN2), BIT2), s2_4 = s1_0.rearrange(UP2).blend(s1_4, BIT2);
        FloatVector s2_1 = s1_1.blend(s1_5.rearrange(DOWN2), BIT2), s2_5 = s1_1.rearrange(UP2).blend(s1_5, BIT2);
        FloatVector s2_2 = s1_2.blend(s1_6.rearrange(DOWN2), BIT2), s2_6 = s1_2.rearrange(UP2).blend(s1_6, BIT2);
        FloatVector s2_3 = s1_3.blend(s1_7.rearrange(DOWN2), BIT2), s2_7 = s1_3.rearrange(UP2).blend(s1_7, BIT2);
        FloatVector s2_8 = s1_8.blend(s1_12.rearrange(DOWN2), BIT2), s2_12 = s1_8.rearrange(UP2).blend(s1_12, BIT2);
        FloatVector s2_9 = s1_9.blend(s1_13.rearrange(DOWN2), BIT2), s2_13 = s1_9.rearrange(UP2).blend(s1_13, BIT2);
        FloatVector s2_10 = s1_10.blend(s1_14.rearrange(DOWN2), BIT2), s2_14 = s1_10.rearrange(UP2).blend(s1_14, BIT2);
        FloatVector s2_11 = s1_11.blend(s1_15.rearrange(DOWN2), BIT2), s2_15 = s1_11.rearrange(UP2).blend(s1_15, BIT2);
        FloatVector s3_0 = s2_0.blend(s2_8.rearrange(DOWN3), BIT3), s3_8 = s2_0.rearrange(UP3).blend(s2_8, BIT3);
        FloatVector s3_1 = s2_1.blend(s2_9.rearrange(DOWN3), BIT3), s3_9 = s2_1.rearrange(UP3).blend(s2_9, BIT3);
        FloatVector s3_2 = s2_2.blend(s2_10.rearrange(DOWN3), BIT3), s3_10 = s2_2.rearrange(UP3).blend(s2_10, BIT3);
        FloatVector s3_3 = s2_3.blend(s2_11.rearrange(DOWN3), BIT3), s3_11 = s2_3.rearrange(UP3).blend(s2_11, BIT3);
        FloatVector s3_4 = s2_4.blend(s2_12.rearrange(DOWN3), BIT3), s3_12 = s2_4.rearrange(UP3).blend(s2_12, BIT3);
        FloatVector s3_5 = s2_5.blend(s2_13.rearrange(DOWN3), BIT3), s3_13 = s2_5.rearrange(UP3).blend(s2_13, BIT3);
        FloatVector s3_6 = s2_6.blend(s2_14.rearrange(DOWN3), BIT3), s3_14 = s2_6.rearrange(UP3).blend(s2_14, BIT3);
        FloatVector s3_7 = s2_7.blend(s2_15.rearrange(DOWN3), BIT3), s3_15 = s2_7.rearrange(UP3).blend(s2_15, BIT3);
        s3_0.intoArray(dst, dO + 0 * ds);
        s3_1.intoArray(dst, dO + 1 * ds);
        s3_2.intoArray(dst, dO + 2 * ds);
        s3_3.intoArray(dst, dO + 3 * ds);
        s3_4.intoArray(dst, dO + 4 * ds);
        s3_5.intoArray(dst, dO + 5 * ds);
        s3_6.intoArray(dst, dO + 6 * ds);
        s3_7.intoArray(dst, dO + 7 * ds);
        s3_8.intoArray(dst, dO + 8 * ds);
        s3_9.intoArray(dst, dO + 9 * ds);
        s3_10.intoArray(dst, dO + 10 * ds);
        s3_11.intoArray(dst, dO + 11 * ds);
        s3_12.intoArray(dst, dO + 12 * ds);
        s3_13.intoArray(dst, dO + 13 * ds);
        s3_14.intoArray(dst, dO + 14 * ds);
        s3_15.intoArray(dst, dO + 15 * ds);
    }

    static void intTranspose16(MemorySegment src, long so, long ss, float[] dst, int dO, int ds) {
        IntVector r0 = load(src, so + 0 * ss).reinterpretAsInts();
        IntVector r1 = load(src, so + 1 * ss).reinterpretAsInts();
        IntVector r2 = load(src, so + 2 * ss).reinterpretAsInts();
        IntVector r3 = load(src, so + 3 * ss).reinterpretAsInts();
        IntVector r4 = load(src, so + 4 * ss).reinterpretAsInts();
        IntVector r5 = load(src, so + 5 * ss).reinterpretAsInts();
        IntVector r6 = load(src, so + 6 * ss).reinterpretAsInts();
        IntVector r7 = load(src, so + 7 * ss).reinterpretAsInts();
        IntVector r8 = load(src, so + 8 * ss).reinterpretAsInts();
        IntVector r9 = load(src, so + 9 * ss).reinterpretAsInts();
        IntVector r10 = load(src, so + 10 * ss).reinterpretAsInts();
        IntVector r11 = load(src, so + 11 * ss).reinterpretAsInts();
        IntVector r12 = load(src, so + 12 * ss).reinterpretAsInts();
        IntVector r13 = load(src, so + 13 * ss).reinterpretAsInts();
        IntVector r14 = load(src, so + 14 * ss).reinterpretAsInts();
        IntVector r15 = load(src, so + 15 * ss).reinterpretAsInts();
        IntVector s0_0 = ILO0.selectFrom(r0, r1), s0_1 = IHI0.selectFrom(r0, r1);
        IntVector s0_2 = ILO0.selectFrom(r2, r3), s0_3 = IHI0.selectFrom(r2, r3);
        IntVector s0_4 = ILO0.selectFrom(r4, r5), s0_5 = IHI0.selectFrom(r4, r5);
        IntVector s0_6 = ILO0.selectFrom(r6, r7), s0_7 = IHI0.selectFrom(r6, r7);
        IntVector s0_8 = ILO0.selectFrom(r8, r9), s0_9 = IHI0.selectFrom(r8, r9);
        IntVector s0_10 = ILO0.selectFrom(r10, r11), s0_11 = IHI0.selectFrom(r10, r11);
        IntVector s0_12 = ILO0.selectFrom(r12, r13), s0_13 = IHI0.selectFrom(r12, r13);
        IntVector s0_14 = ILO0.selectFrom(r14, r15), s0_15 = IHI0.selectFrom(r14, r15);
        IntVector s1_0 = ILO1.selectFrom(s0_0, s0_2), s1_2 = IHI1.selectFrom(s0_0, s0_2);
        IntVector s1_1 = ILO1.selectFrom(s0_1, s0_3), s1_3 = IHI1.selectFrom(s0_1, s0_3);
        IntVector s1_4 = ILO1.selectFrom(s0_4, s0_6), s1_6 = IHI1.selectFrom(s0_4, s0_6);
        IntVector s1_5 = ILO1.selectFrom(s0_5, s0_7), s1_7 = IHI1.selectFrom(s0_5, s0_7);
        IntVector s1_8 = ILO1.selectFrom(s0_8, s0_10), s1_10 = IHI1.selectFrom(s0_8, s0_10);
        IntVector s1_9 = ILO1.selectFrom(s0_9, s0_11), s1_11 = IHI1.selectFrom(s0_9, s0_11);
        IntVector s1_12 = ILO1.selectFrom(s0_12, s0_14), s1_14 = IHI1.selectFrom(s0_12, s0_14);
        IntVector s1_13 = ILO1.selectFrom(s0_13, s0_15), s1_15 = IHI1.selectFrom(s0_13, s0_15);
        IntVector s2_0 = ILO2.selectFrom(s1_0, s1_4), s2_4 = IHI2.selectFrom(s1_0, s1_4);
        IntVector s2_1 = ILO2.selectFrom(s1_1, s1_5), s2_5 = IHI2.selectFrom(s1_1, s1_5);
        IntVector s2_2 = ILO2.selectFrom(s1_2, s1_6), s2_6 = IHI2.selectFrom(s1_2, s1_6);
        IntVector s2_3 = ILO2.selectFrom(s1_3, s1_7), s2_7 = IHI2.selectFrom(s1_3, s1_7);
        IntVector s2_8 = ILO2.selectFrom(s1_8, s1_12), s2_12 = IHI2.selectFrom(s1_8, s1_12);
        IntVector s2_9 = ILO2.selectFrom(s1_9, s1_13), s2_13 = IHI2.selectFrom(s1_9, s1_13);
        IntVector s2_10 = ILO2.selectFrom(s1_10, s1_14), s2_14 = IHI2.selectFrom(s1_10, s1_14);
        IntVector s2_11 = ILO2.selectFrom(s1_11, s1_15), s2_15 = IHI2.selectFrom(s1_11, s1_15);
        IntVector s3_0 = ILO3.selectFrom(s2_0, s2_8), s3_8 = IHI3.selectFrom(s2_0, s2_8);
        IntVector s3_1 = ILO3.selectFrom(s2_1, s2_9), s3_9 = IHI3.selectFrom(s2_1, s2_9);
        IntVector s3_2 = ILO3.selectFrom(s2_2, s2_10), s3_10 = IHI3.selectFrom(s2_2, s2_10);
        IntVector s3_3 = ILO3.selectFrom(s2_3, s2_11), s3_11 = IHI3.selectFrom(s2_3, s2_11);
        IntVector s3_4 = ILO3.selectFrom(s2_4, s2_12), s3_12 = IHI3.selectFrom(s2_4, s2_12);
        IntVector s3_5 = ILO3.selectFrom(s2_5, s2_13), s3_13 = IHI3.selectFrom(s2_5, s2_13);
        IntVector s3_6 = ILO3.selectFrom(s2_6, s2_14), s3_14 = IHI3.selectFrom(s2_6, s2_14);
        IntVector s3_7 = ILO3.selectFrom(s2_7, s2_15), s3_15 = IHI3.selectFrom(s2_7, s2_15);
        s3_0.reinterpretAsFloats().intoArray(dst, dO + 0 * ds);
        s3_1.reinterpretAsFloats().intoArray(dst, dO + 1 * ds);
        s3_2.reinterpretAsFloats().intoArray(dst, dO + 2 * ds);
        s3_3.reinterpretAsFloats().intoArray(dst, dO + 3 * ds);
        s3_4.reinterpretAsFloats().intoArray(dst, dO + 4 * ds);
        s3_5.reinterpretAsFloats().intoArray(dst, dO + 5 * ds);
        s3_6.reinterpretAsFloats().intoArray(dst, dO + 6 * ds);
        s3_7.reinterpretAsFloats().intoArray(dst, dO + 7 * ds);
        s3_8.reinterpretAsFloats().intoArray(dst, dO + 8 * ds);
        s3_9.reinterpretAsFloats().intoArray(dst, dO + 9 * ds);
        s3_10.reinterpretAsFloats().intoArray(dst, dO + 10 * ds);
        s3_11.reinterpretAsFloats().intoArray(dst, dO + 11 * ds);
        s3_12.reinterpretAsFloats().intoArray(dst, dO + 12 * ds);
        s3_13.reinterpretAsFloats().intoArray(dst, dO + 13 * ds);
        s3_14.reinterpretAsFloats().intoArray(dst, dO + 14 * ds);
        s3_15.reinterpretAsFloats().intoArray(dst, dO + 15 * ds);
    }

    interface Kernel {
        void run(MemorySegment src, long so, long ss, float[] dst, int dO, int ds);
    }

    public static void main(String[] args) {
        MemorySegment src = Arena.ofAuto().allocate(16 * 64 * 4, 64);
        for (int i = 0; i < 16 * 64; i++) src.setAtIndex(ValueLayout.JAVA_FLOAT, i, i);
        Kernel gen = L == 16 ? (s, so, ss, d, o, ds) -> VectorSparseKernels.transposeOut16(s, so, ss, d, o, ds, null)
                : (s, so, ss, d, o, ds) -> VectorSparseKernels.transposeOut8(s, so, ss, d, o, ds, null);
        Kernel alt = L == 16 ? TransposeLab::blendTranspose16 : TransposeLab::selectTranspose8;
        Kernel ints = L == 16 ? TransposeLab::intTranspose16 : TransposeLab::intTranspose8;
        float[] ref = new float[64 * 256], dst = new float[64 * 256];
        gen.run(src, 0, 256, ref, 0, 256);
        alt.run(src, 0, 256, dst, 0, 256);
        check(dst, ref, "alt");
        ints.run(src, 0, 256, dst, 0, 256);
        check(dst, ref, "int");
        int reps = 4_000_000;
        System.out.println("L = " + L);
        String which = args.length > 0 ? args[0] : "gen";
        Kernel k = which.equals("alt") ? alt : which.equals("int") ? ints : gen;
        for (int round = 0; round < 8; round++) System.out.printf("%s %.2f ns/block%n", which, time(k, src, dst, reps));
    }

    private static double time(Kernel k, MemorySegment src, float[] dst, int reps) {
        long t0 = System.nanoTime();
        for (int it = 0; it < reps; it++) k.run(src, (it & 3) * 64L, 256, dst, (it & 3) * 16, 256);
        return (System.nanoTime() - t0) / (double) reps;
    }

    private static void check(float[] dst, float[] ref, String what) {
        for (int i = 0; i < L; i++) {
            for (int j = 0; j < L; j++) {
                if (dst[i * 256 + j] != ref[i * 256 + j]) throw new AssertionError(what + " differs at " + i + "," + j);
            }
        }
        java.util.Arrays.fill(dst, 0f);
    }
}
