// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.util.function.Supplier;

/**
 * Picks scalar or Vector API kernels once, for every family of kernels (the dense ones here, the
 * sparse products in {@code sparse}): the Vector API implementation when the
 * {@code jdk.incubator.vector} module is present (run with {@code --add-modules jdk.incubator.vector})
 * and its vectors ({@link Species}) are at least 256 bits, or narrower because
 * {@code -Dlacuna.vectorsize} asked for them; otherwise, or when {@code -Dlacuna.scalar=true}, the
 * scalar reference. Falling back prints one line on stderr saying why, once for all families.
 */
public final class KernelProvider {
    private KernelProvider() {}

    /** The system property that forces the scalar kernels. */
    public static final String SCALAR_PROPERTY = "lacuna.scalar";

    private static final boolean FORCE_SCALAR = Boolean.getBoolean(SCALAR_PROPERTY);

    /** Loads the Vector API implementation on first use only (never when the scalar one is forced). */
    private static final class VectorHolder {
        // A lambda, not VectorKernels::new: a constructor reference links the class where it is written.
        static final Kernels VECTOR = loadVector("kernels", () -> new VectorKernels());
    }

    private static final Kernels INSTANCE = choose(ScalarKernels.INSTANCE, () -> VectorHolder.VECTOR);

    /** The implementation in use. */
    public static Kernels get() {
        return INSTANCE;
    }

    /** The scalar reference implementation. */
    public static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** The Vector API implementation, or null where it is unavailable (regardless of {@code lacuna.scalar}). */
    public static Kernels vector() {
        return VectorHolder.VECTOR;
    }

    /**
     * A family's implementation in use: {@code scalar} when {@code -Dlacuna.scalar=true} (then
     * {@code vector} is not asked, so nothing loads the Vector API), else the vector one unless null.
     */
    public static <T> T choose(T scalar, Supplier<? extends T> vector) {
        if (FORCE_SCALAR) return scalar;
        T v = vector.get();
        return v != null ? v : scalar;
    }

    /**
     * A family's Vector API implementation, made by {@code factory} (a lambda that is the first thing to
     * touch the family's Vector API classes), or null where the Vector API cannot be used here or the
     * family fails to load. The reason goes to stderr as one line, unless the scalar kernels are forced.
     *
     * @param family what the scalar fallback is called in that line, e.g. "sparse kernels"
     */
    public static <T> T loadVector(String family, Supplier<? extends T> factory) {
        if (Availability.WHY_NOT != null) return null;
        try {
            return factory.get();
        } catch (LinkageError | RuntimeException e) {
            note("the Vector API " + family + " failed to load (" + e + "); using scalar " + family);
            return null;
        }
    }

    /** Decided once for every family, so that a missing module is reported once. */
    private static final class Availability {
        /** Why the Vector API is not used, or null when it is. */
        static final String WHY_NOT = whyNot();

        static {
            if (WHY_NOT != null) note(WHY_NOT + "; using scalar kernels");
        }

        private static String whyNot() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return "the Vector API module is missing (add --add-modules jdk.incubator.vector)";
            }
            try {
                int bits = Species.bits();
                if (bits < 256 && !Species.forced()) return "the Vector API prefers " + bits + "-bit vectors here, too narrow to pay";
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "the Vector API failed to load (" + e + ")";
            }
        }
    }

    private static void note(String line) {
        if (!FORCE_SCALAR) System.err.println("lacuna: " + line);
    }
}
