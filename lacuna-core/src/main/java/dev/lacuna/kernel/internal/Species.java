// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place every Vector API kernel (dense, sparse, attention, SAE) takes its species from: the
 * CPU's preferred shape, or the width {@code -Dlacuna.vectorsize=128|256|512} asks for (like Lucene's
 * {@code tests.vectorsize}), so that tests on a 512-bit machine also run the 256- and 128-bit paths.
 * A value that is not one of those, or wider than the CPU's vectors (the Vector API would emulate it
 * at a fraction of the speed), is refused with one line on stderr and the preferred shape is used.
 * Only {@link KernelProvider} and classes that use the Vector API load this class.
 */
public final class Species {
    private Species() {}

    /** The system property that forces a narrower vector width, in bits. */
    public static final String VECTOR_SIZE_PROPERTY = "lacuna.vectorsize";

    private static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    /** The width asked for by {@value #VECTOR_SIZE_PROPERTY} and honoured, or 0. */
    static final int FORCED_BITS = forcedBits(System.getProperty(VECTOR_SIZE_PROPERTY));

    /** Float lanes of every kernel. */
    public static final VectorSpecies<Float> FLOAT = FORCED_BITS == 0
            ? FloatVector.SPECIES_PREFERRED
            : VectorSpecies.of(float.class, VectorShape.forBitSize(FORCED_BITS));

    /** Int lanes of the same shape (so that {@code reinterpretAsInts} of a {@link #FLOAT} vector fits it). */
    public static final VectorSpecies<Integer> INT = FORCED_BITS == 0
            ? IntVector.SPECIES_PREFERRED
            : VectorSpecies.of(int.class, FLOAT.vectorShape());

    /** Double lanes of the same shape (half as many lanes), for the double-precision solvers of {@code recovery}. */
    public static final VectorSpecies<Double> DOUBLE = VectorSpecies.of(double.class, FLOAT.vectorShape());

    /**
     * Bytes of one {@link #FLOAT} vector's worth of lanes: a byte species of L lanes (L·8 bits), or of
     * 64 bits where that is narrower than the smallest byte vector (128-bit floats, L = 4). For kernels
     * that widen int8 weights to floats.
     */
    public static final VectorSpecies<Byte> BYTE_PER_LANE = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, FLOAT.length() * 8)));

    /**
     * Vector registers the micro-kernels can count on: 32 where the CPU has 512-bit vectors (AVX-512
     * has 32 zmm registers, also when narrower species are forced), else 16 (AVX2's ymm, NEON's 32 are
     * counted as 16 to be safe).
     */
    public static int registers() {
        return PREFERRED_BITS >= 512 ? 32 : 16;
    }

    /** Bits per vector, e.g. 512 with AVX-512 unless narrowed. */
    public static int bits() {
        return FLOAT.vectorBitSize();
    }

    /** Whether {@value #VECTOR_SIZE_PROPERTY} chose the width (then the provider uses it even below 256 bits). */
    public static boolean forced() {
        return FORCED_BITS != 0;
    }

    private static int forcedBits(String value) {
        if (value == null || value.isBlank() || value.strip().equals("default")) return 0;
        int bits;
        try {
            bits = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            bits = -1;
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            System.err.println("lacuna: -D" + VECTOR_SIZE_PROPERTY + "=" + value + " is not 128, 256 or 512; using the preferred " + PREFERRED_BITS + "-bit vectors");
            return 0;
        }
        if (bits > PREFERRED_BITS) {
            System.err.println("lacuna: -D" + VECTOR_SIZE_PROPERTY + "=" + value + " is wider than this CPU's " + PREFERRED_BITS + "-bit vectors; using " + PREFERRED_BITS + "-bit vectors");
            return 0;
        }
        return bits;
    }
}
