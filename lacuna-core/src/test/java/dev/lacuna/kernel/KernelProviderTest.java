// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.ChildJvm;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
/** Starts fresh JVMs to see which kernels the provider picks. */
class KernelProviderTest {
    /** Prints the chosen kernels' name and a tiny GEMM result; with an argument, a checksum of every kernel's output. */
    public static final class Probe {
        public static void main(String[] args) {
            if (args.length > 0) {
                int reps = Integer.parseInt(args[0]);
                int h = 0;
                for (int r = 0; r < reps; r++) h = checksum(); // reps > 1: let C2 compile the kernels first
                System.out.println(KernelProvider.get().name() + " " + Integer.toHexString(h));
                return;
            }
            float[] y = new float[2];
            Gemm.matmul(Parallel.serial(), new float[] {1, 2}, 1, Gemm.pack(new float[] {3, 4, 5, 6}, 2, 2), new float[] {1, 1}, y);
            System.out.println(KernelProvider.get().name() + " " + y[0] + " " + y[1]);
        }
    }

    /** Bits of every kernel's output on fixed inputs. */
    static int checksum() {
        java.util.Random r = new java.util.Random(42);
        int m = 7, n = 70, k = 45;
        float[] x = new float[m * k], w = new float[n * k], b = new float[n];
        for (float[] a : new float[][] {x, w, b}) for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        float[] y = new float[m * n], z = new float[m * n];
        PackedMatrix pw = Gemm.pack(w, n, k);
        Parallel par = Parallel.serial();
        Gemm.matmul(par, x, m, pw, b, y);
        Gemm.matmulGelu(par, x, m, pw, b, z);
        float[] ln = y.clone();
        Ops.layerNorm(par, ln, m, n, b, b, 1e-12f);
        float[] g = y.clone();
        Ops.gelu(par, g, g.length);
        float[] sm = y.clone();
        for (int i = 0; i < m; i++) Ops.softmax(sm, i * n, n);
        float[] ax = y.clone();
        Ops.axpy(0.3f, z, 1, ax, 2, 300);
        Ops.addInPlace(par, ax, z, 400);
        float[] raw = new float[m * m];
        Gemm.matmulRawTransB(x, 0, k, x, 0, k, raw, 0, m, m, m, k, 0.125f, false);
        int h = 1;
        for (float[] a : new float[][] {y, z, ln, g, sm, ax, raw}) h = 31 * h + java.util.Arrays.hashCode(a);
        return 31 * h + Float.floatToIntBits(Ops.dot(y, 3, z, 5, 333));
    }

    private static String[] run(boolean vectorModule, boolean forceScalar, String... extra) throws IOException, InterruptedException {
        List<String> options = new ArrayList<>();
        for (String e : extra) {
            if (e.startsWith("-")) options.add(e);
        }
        if (vectorModule) options.add("--add-modules=jdk.incubator.vector");
        if (forceScalar) options.add("-Dlacuna.scalar=true");
        ChildJvm.Output o = ChildJvm.run(Probe.class, options, java.util.Arrays.stream(extra).filter(e -> !e.startsWith("-")).toArray(String[]::new));
        return new String[] {o.out(), o.err()};
    }

    @Test
    void picksVectorWhenModulePresent() throws Exception {
        String[] r = run(true, false);
        assertTrue(r[0].startsWith("vector-"), r[0]);
        assertTrue(r[0].endsWith(" 12.0 18.0"), r[0]);
        assertTrue(!r[1].contains("lacuna:"), r[1]);
    }

    /** Interpreted and C2-compiled Vector API code give the same bits (no JIT-dependent EXP or reduction order). */
    @Test
    void sameBitsInterpretedAndCompiled() throws Exception {
        String interpreted = run(true, false, "-Xint", "1")[0];
        String compiled = run(true, false, "3000")[0];
        assertTrue(interpreted.startsWith("vector-"), interpreted);
        assertEquals(interpreted, compiled);
    }

    @Test
    void scalarWhenForced() throws Exception {
        String[] r = run(true, true);
        assertEquals("scalar 12.0 18.0", r[0]);
        assertTrue(!r[1].contains("lacuna:"), r[1]);
    }

    @Test
    void fallsBackWithOneLineWhenModuleMissing() throws Exception {
        String[] r = run(false, false);
        assertEquals("scalar 12.0 18.0", r[0]);
        long lines = r[1].lines().filter(l -> l.startsWith("lacuna:")).count();
        assertEquals(1, lines, r[1]);
        assertTrue(r[1].contains("Vector API module is missing"), r[1]);
    }

    /** -Dlacuna.vectorsize=128 narrows every Vector API kernel, below the 256 bits the provider needs otherwise. */
    @Test
    void honoursANarrowerVectorSize() throws Exception {
        String[] r = run(true, false, "-Dlacuna.vectorsize=128");
        assertEquals("vector-128 12.0 18.0", r[0]);
        assertTrue(!r[1].contains("lacuna:"), r[1]);
    }

    @Test
    void refusesAVectorSizeItCannotHonourWithOneLine() throws Exception {
        String preferred = "vector-" + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " 12.0 18.0";
        String[] r = run(true, false, "-Dlacuna.vectorsize=100");
        assertEquals(preferred, r[0]);
        assertEquals(1, r[1].lines().filter(l -> l.startsWith("lacuna:")).count(), r[1]);
        assertTrue(r[1].contains("-Dlacuna.vectorsize=100 is not 128, 256 or 512"), r[1]);
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512) {
            r = run(true, false, "-Dlacuna.vectorsize=512");
            assertEquals(preferred, r[0]);
            assertEquals(1, r[1].lines().filter(l -> l.startsWith("lacuna:")).count(), r[1]);
            assertTrue(r[1].contains("-Dlacuna.vectorsize=512 is wider than this CPU's"), r[1]);
        }
    }
}
