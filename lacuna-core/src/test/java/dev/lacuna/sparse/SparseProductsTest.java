// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.ChildJvm;
import dev.lacuna.VectorPaths;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.kernel.internal.Species;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sparse products are picked by {@link KernelProvider} with the dense kernels: one decision, one fallback line, one width. */
class SparseProductsTest {
    /** Prints the sparse and dense kernels in use and y = x·Wᵀ + b of a tiny CSR weight. */
    public static final class Probe {
        public static void main(String[] args) {
            FloatTensor w = new FloatTensor(new int[] {2, 3}, new float[] {1, 0, 2, 0, 3, 0});
            FloatTensor b = new FloatTensor(new int[] {2}, new float[] {1, 1});
            float[] y = new float[2];
            CsrLinear.fromDense(w, b).apply(Parallel.serial(), new float[] {1, 2, 3}, 1, y);
            System.out.println(SparseProducts.get().name() + " " + KernelProvider.get().name() + " " + y[0] + " " + y[1]);
        }
    }

    /** In this JVM (run by surefire at the preferred width and again narrowed): the width asked for is the one used. */
    @Test
    @VectorPaths
    void vectorProductsUseTheKernelsWidth() {
        SparseProducts v = SparseProducts.vector();
        assertNotNull(v, "the tests run with the Vector API module");
        assertEquals("vector-" + Species.bits(), v.name());
        assertEquals(KernelProvider.vector().name(), v.name());
        assertEquals(Species.FLOAT.length(), VectorWidth.L, "the cost model's lanes");
        String asked = System.getProperty(Species.VECTOR_SIZE_PROPERTY);
        if (asked != null) assertEquals("vector-" + asked, v.name(), "-D" + Species.VECTOR_SIZE_PROPERTY + "=" + asked + " must be honoured");
    }

    @Test
    void oneFallbackLineForDenseAndSparseWhenTheModuleIsMissing() throws Exception {
        ChildJvm.Output o = ChildJvm.run(Probe.class, List.of());
        assertEquals("scalar scalar 8.0 7.0", o.out());
        assertEquals(1, o.lacunaLines().size(), o.err());
        assertTrue(o.err().contains("Vector API module is missing"), o.err());
    }

    @Test
    void scalarForcedForBothWithoutALine() throws Exception {
        ChildJvm.Output o = ChildJvm.run(Probe.class, List.of("--add-modules=jdk.incubator.vector", "-Dlacuna.scalar=true"));
        assertEquals("scalar scalar 8.0 7.0", o.out());
        assertEquals(List.of(), o.lacunaLines());
    }

    @Test
    void narrowerVectorsForBoth() throws Exception {
        ChildJvm.Output o = ChildJvm.run(Probe.class, List.of("--add-modules=jdk.incubator.vector", "-Dlacuna.vectorsize=128"));
        assertEquals("vector-128 vector-128 8.0 7.0", o.out());
        assertEquals(List.of(), o.lacunaLines());
    }
}
