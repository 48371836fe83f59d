// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.ChildJvm;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Epilogue;
import dev.lacuna.kernel.Gemm;
import dev.lacuna.kernel.PackedMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GEMM's register tiles ({@link GemmTile}) compute every output as the same FMA chain, so every
 * tile gives the same bits, on shapes with row and column tails, with and without GELU, on 1 and 2
 * threads; the probe picks one of its candidates and caches it; a cached or forced tile is used.
 * Each tile runs in its own JVM (the choice is made once per JVM).
 */
class GemmTileTest {
    /** Prints the tile and a hash of every output's bits. */
    public static final class Probe {
        public static void main(String[] args) {
            Random r = new Random(7);
            long h = 1;
            try (Parallel p1 = new Parallel(1); Parallel p2 = new Parallel(2)) {
                for (int[] s : new int[][] {{1, 17, 5}, {7, 40, 33}, {13, 129, 64}, {64, 384, 384}, {23, 100, 1536}}) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] x = new float[m * k], w = new float[n * k], b = new float[n];
                    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
                    for (int i = 0; i < n; i++) b[i] = (float) r.nextGaussian();
                    PackedMatrix pw = Gemm.pack(w, n, k);
                    for (Epilogue ep : Epilogue.values()) {
                        float[] y1 = new float[m * n], y2 = new float[m * n];
                        Gemm.matmul(p1, x, m, pw, b, y1, ep);
                        Gemm.matmul(p2, x, m, pw, null, y2, ep);
                        h = 31 * h + Arrays.hashCode(y1);
                        h = 31 * h + Arrays.hashCode(y2);
                    }
                }
            }
            System.out.println(KernelProvider.get().name().startsWith("vector") ? VectorGemm.TILE + " " + h : "scalar " + h);
        }
    }

    private static String[] run(String... options) throws Exception {
        List<String> o = new ArrayList<>(List.of("--add-modules=jdk.incubator.vector"));
        o.addAll(List.of(options));
        return ChildJvm.run(Probe.class, o).out().strip().split(" ");
    }

    @Test
    void everyTileGivesTheSameBits() throws Exception {
        String hash = null;
        for (String tile : new String[] {"6x4", "4x4", "6x2", "5x2", "4x2"}) {
            String[] out = run("-Dlacuna.gemm.tile=" + tile);
            assertEquals(tile, out[0]);
            if (hash == null) hash = out[1];
            assertEquals(hash, out[1], "tile " + tile);
        }
        // K cut into blocks of 16 and 48 steps (every shape above has K > 24): each block continues
        // the chains left in y, so the bits stay
        assertEquals(hash, run("-Dlacuna.gemm.tile=5x2", "-Dlacuna.gemm.kc=16")[1], "kc 16");
        assertEquals(hash, run("-Dlacuna.gemm.tile=6x4", "-Dlacuna.gemm.kc=48")[1], "kc 48 6x4");
    }

    @Test
    void twoVectorAvx2PanelsAreNotKBlockedWiderOnesAre() {
        // 16-float panels (AVX2) run unblocked (faster on Zen 3); 32/64-float panels in 16 KiB blocks
        assertEquals(GemmTile.UNBLOCKED, GemmTile.kBlock(null, 16));
        assertEquals(GemmTile.UNBLOCKED, GemmTile.kBlock(null, 8));
        assertEquals(128, GemmTile.kBlock(null, 32));
        assertEquals(64, GemmTile.kBlock(null, 64));
        assertEquals(100, GemmTile.kBlock("100", 16), "forced");
        assertEquals(64, GemmTile.kBlock("zero", 64), "not a number: the default");
        int kc = GemmTile.kBlock(null, 16);
        assertTrue(1536 <= kc + kc / 2, "no overflow, every encoder K in one block");
    }

    @Test
    void theProbePicksOneOfItsCandidates() {
        // in this JVM, whatever tile it uses: the probe calls each candidate's micro-kernel itself
        List<GemmTile> cands = List.of(new GemmTile(4, 2), new GemmTile(5, 2), new GemmTile(4, 4));
        GemmTile picked = TileProbe.fastest(cands);
        assertTrue(cands.contains(picked), "picked " + picked);
        double[] g = TileProbe.gflops(cands);
        for (double v : g) assertTrue(v > 0 && Double.isFinite(v), java.util.Arrays.toString(g));
    }

    /**
     * The probe runs inside VectorGemm's static initialiser; it must time compiled kernels. Until
     * 2026-12-04 it called them through VectorGemm, whose calls C2 does not compile while the class is
     * being initialised: every candidate ran interpreted, at ~3 GFLOP/s against 170-230 compiled on
     * AMD Zen 5, and the pick was noise. Compiled Vector API kernels run at several times eight scalar
     * FMA chains (what MachineProbe times), interpreted ones at a fraction of them.
     */
    @Test
    void theProbeInAFreshJvmTimesCompiledKernels(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Species.registers() >= 32, "16 vector registers: one candidate, no probe");
        run("-Dlacuna.cache.dir=" + dir);
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(dir.resolve("gemm-tile.properties"))) {
            p.load(in);
        }
        String line = p.stringPropertyNames().stream().filter(k -> k.endsWith(GemmTile.MEASURED_SUFFIX)).map(p::getProperty).findFirst().orElse(null);
        assertTrue(line != null, "the probe's figures are in the cache: " + p);
        MachineProbe.scalarFma(2_000_000); // compiled by now
        long t0 = System.nanoTime();
        MachineProbe.scalarFma(2_000_000);
        double scalar = MachineProbe.scalarFmaFlops(2_000_000) / (System.nanoTime() - t0);
        for (String entry : line.split(" ")) {
            double g = Double.parseDouble(entry.substring(entry.indexOf(':') + 1));
            assertTrue(g > scalar, entry + " GFLOP/s is no faster than scalar FMA chains (" + scalar + "): interpreted? " + line);
        }
    }

    @Test
    void nearTiesGoToTheLargerTileAndAClearWinnerStays() {
        List<GemmTile> cands = List.of(new GemmTile(4, 2), new GemmTile(4, 4), new GemmTile(5, 4), new GemmTile(6, 4));
        // within 3% of the fastest: the most accumulators
        assertEquals(new GemmTile(6, 4), TileProbe.pick(cands, new double[] {170, 246, 245, 240}));
        // 6x4 more than 3% behind: not in the tie, 5x4 is
        assertEquals(new GemmTile(5, 4), TileProbe.pick(cands, new double[] {170, 246, 245, 230}));
        // a clear winner with fewer accumulators (Zen 4's 4x2 in the real GEMM)
        assertEquals(new GemmTile(4, 2), TileProbe.pick(cands, new double[] {250, 200, 190, 180}));
    }

    @Test
    void theCacheIsKeyedReadAndWrittenAtomically(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("gemm-tile.properties");
        assertNull(GemmTile.readCache(file, "cpu-a"));
        GemmTile.writeCache(file, "cpu-a", new GemmTile(5, 4));
        GemmTile.writeCache(file, "cpu-b", new GemmTile(4, 2));
        assertEquals(new GemmTile(5, 4), GemmTile.readCache(file, "cpu-a"));
        assertEquals(new GemmTile(4, 2), GemmTile.readCache(file, "cpu-b"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary left beside the cache");
        }
        Files.writeString(file, "\u0000garbage");
        assertNull(GemmTile.readCache(file, "cpu-a"));
        GemmTile.writeCache(file, "cpu-a", new GemmTile(6, 4)); // a damaged cache is replaced
        assertEquals(new GemmTile(6, 4), GemmTile.readCache(file, "cpu-a"));
    }

    @Test
    void aCachedChoiceIsUsedWhereThereIsAChoice(@TempDir Path dir) throws Exception {
        List<GemmTile> cands = GemmTile.candidates(Species.registers());
        String[] first = run("-Dlacuna.cache.dir=" + dir);
        assertTrue(cands.contains(GemmTile.parse(first[0])), "picked " + first[0]);
        GemmTile known = GemmTile.measured(CpuInfo.model(), Species.bits());
        if (cands.size() == 1 || known != null) {
            if (known != null) assertEquals(known.toString(), first[0], "a CPU with a measured entry gets it");
            assertTrue(!Files.exists(dir.resolve("gemm-tile.properties")), "one candidate or a measured entry: nothing probed, nothing cached");
            return;
        }
        Path cache = dir.resolve("gemm-tile.properties");
        GemmTile picked = GemmTile.parse(first[0]);
        GemmTile other = cands.stream().filter(t -> !t.equals(picked)).findFirst().orElseThrow();
        Files.writeString(cache, Files.readString(cache).replace("=" + picked, "=" + other));
        assertEquals(other.toString(), run("-Dlacuna.cache.dir=" + dir)[0]);
    }

    @Test
    void theMeasuredTableNamesZen4Only() {
        assertEquals(new GemmTile(4, 2), GemmTile.measured("AMD EPYC (family 25, model 17, avx512)", 512));
        assertEquals(new GemmTile(4, 2), GemmTile.measured("AMD Ryzen 9 7950X 16-Core Processor (family 25, model 97, avx512)", 512));
        assertNull(GemmTile.measured("AMD EPYC (family 25, model 1, avx2)", 256), "Zen 3: probed");
        assertNull(GemmTile.measured("AMD EPYC (family 25, model 17, avx512)", 256), "a narrower species than the table's");
        assertNull(GemmTile.measured("Intel(R) Xeon(R) Platinum 8480+ (family 6, model 143, avx512+amx)", 512), "Xeon: probed");
        assertNull(GemmTile.measured("AMD EPYC (family 26, model 2, avx512)", 512), "Zen 5: not measured");
    }

    @Test
    void badValuesAreRefusedAndProbed(@TempDir Path dir) throws Exception {
        assertNull(GemmTile.parse("7x2"));
        assertNull(GemmTile.parse("5x3"));
        assertNull(GemmTile.parse("five"));
        assertEquals(new GemmTile(5, 2), GemmTile.parse(" 5X2 "));
        // a damaged cache file and a bad forced value fall back to the probe
        Files.writeString(dir.resolve("gemm-tile.properties"), "\u0000\u0001garbage=" + "9x9\n");
        String[] out = run("-Dlacuna.cache.dir=" + dir, "-Dlacuna.gemm.tile=bogus");
        assertTrue(GemmTile.candidates(Species.registers()).contains(GemmTile.parse(out[0])), out[0]);
    }
}
