// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The dense GEMM's register tile: MR rows of x times a panel of NV vectors, MR·NV accumulators.
 * Chosen once per process, in this order: {@code -Dlacuna.gemm.tile=RxV} (e.g. {@code 5x2}); the
 * choice cached for this CPU, vector width and JVM; else a probe of {@link TileProbe} that times the
 * candidates on this machine (well under a second), whose choice is then cached. With 16 vector
 * registers there is one candidate (see {@link #candidates}) and nothing to probe.
 *
 * <p>Why a probe and not a rule: what a tile costs depends on how C2 allocates registers for it, not
 * only on the count. On Zen 3 (AVX2, 16 ymm) the 6x2 tile needs 12 accumulators, 2 panel vectors and
 * 1 broadcast, 15 of 16 registers, yet C2 keeps two broadcasts live and spills one accumulator to the
 * stack every step: 65% of the FMA peak on an L1-resident tile, where 5x2 runs at 92% (docs/BENCHMARKS.md).
 * The tile shape never changes results: each output is the same FMA chain over p = 0..K-1.
 *
 * <p>The cache is one properties file, {@code gemm-tile.properties}, in {@code -Dlacuna.cache.dir},
 * else {@code $LACUNA_CACHE_DIR}, else {@code $XDG_CACHE_HOME/lacuna}, else {@code ~/.cache/lacuna};
 * written atomically; a cache that cannot be read or written only costs the probe's time.
 */
record GemmTile(int mr, int nv) {
    static final String TILE_PROPERTY = "lacuna.gemm.tile";
    static final String CACHE_DIR_PROPERTY = "lacuna.cache.dir";

    /** Accumulators of the tile. */
    int accumulators() {
        return mr * nv;
    }

    @Override
    public String toString() {
        return mr + "x" + nv;
    }

    /** A K block no encoder reaches: K is not split (a plain constant, so that KC + KC / 2 cannot overflow). */
    static final int UNBLOCKED = 1 << 24;

    /**
     * Steps of K per block for a panel of {@code nr} floats (see {@link VectorGemm#KC}): {@code forced}
     * when it is a positive integer; else {@link #UNBLOCKED} for panels of at most 16 floats (AVX2's
     * 2-vector panels: on Zen 3, W 384x1536 at 2,048 tokens ran at 84-88 GFLOP/s on one thread and
     * 137-156 on two unblocked, against 64-71 and 125-143 in blocks of 256-768, the panel [1536, 16]
     * being 96 KiB of L2 either way; docs/BENCHMARKS.md); else the block [KC, nr] of 16 KiB (wider
     * AVX-512 panels, measured on Intel: KC 128 at 59% of peak against 57% unblocked). Here and not
     * in VectorGemm so that {@link TileProbe} can use it while VectorGemm is being initialised.
     */
    static int kBlock(String forced, int nr) {
        if (forced != null) {
            try {
                int v = Integer.parseInt(forced.strip());
                if (v >= 1) return v;
            } catch (NumberFormatException e) {
                // fall through to the default
            }
            System.err.println("lacuna: -Dlacuna.gemm.kc=" + forced + " is not a positive integer; using the default");
        }
        if (nr <= 16) return UNBLOCKED;
        return Math.max(16, 16 * 1024 / (4 * nr) / 16 * 16);
    }

    /** Parses {@code RxV}; null when it is not one of the generated kernels (rows 1..6, 2 or 4 vectors). */
    static GemmTile parse(String s) {
        if (s == null) return null;
        String[] p = s.strip().toLowerCase(Locale.ROOT).split("x");
        if (p.length != 2) return null;
        try {
            int mr = Integer.parseInt(p[0]), nv = Integer.parseInt(p[1]);
            if (mr < 1 || mr > 6 || (nv != 2 && nv != 4)) return null;
            return new GemmTile(mr, nv);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The tiles worth timing with this many vector registers: 4x2 and 4 to 6 rows x 4 vectors with 32
     * (4x2 added after Zen 4, see {@link #measured}); with 16 only 4x2. Measured on Zen 3 (AVX2, docs/BENCHMARKS.md, 2026-12-02): 6x2 spills an accumulator
     * every step (~30 GFLOP/s of a 92 peak in every run), 5x2 ran at 27-66 from one run to the next,
     * 4x2 (8 accumulators, 11 registers) at 43-77; the L1-resident probe could not tell 5x2's bad
     * runs, so it is not offered.
     */
    static List<GemmTile> candidates(int registers) {
        if (registers < 32) return List.of(new GemmTile(4, 2));
        List<GemmTile> c = new ArrayList<>();
        c.add(new GemmTile(4, 2));
        for (int mr = 4; mr <= 6; mr++) c.add(new GemmTile(mr, 4));
        return c;
    }

    /**
     * Tiles measured in the real GEMM per CPU family, which take precedence over the probe: the probe
     * times the micro-kernel on an L1-resident panel and cannot see what a wider panel costs in L1 and
     * L2 once the products are encoder-sized. AMD Zen 4 (family 25, models 0x10-0x1f and 0x60-0x7f:
     * AVX-512 on a 256-bit datapath, 32 zmm): the probe picked 4x4; in {@code lacuna bench gemm} at
     * 2,048 tokens (docs/BENCHMARKS.md, 2026-12-02) 4x2 ran at 73-90% of the measured one-core peak on
     * the three encoder shapes, 4x4 at 50-74% and 6x4 at 47-83%. That probe timed interpreted kernels
     * (fixed 2026-12-04, see {@link TileProbe}); the entry stands on the {@code bench gemm} figures and
     * has not been checked against the new probe on Zen 4. Null when this CPU has no entry.
     */
    static GemmTile measured(String cpu, int bits) {
        if (bits != 512 || cpu == null || !cpu.startsWith("AMD")) return null;
        int family = CpuInfo.family(cpu), model = CpuInfo.modelNumber(cpu);
        boolean zen4 = family == 25 && (model >= 0x10 && model <= 0x1f || model >= 0x60 && model <= 0x7f);
        return zen4 ? new GemmTile(4, 2) : null;
    }

    /** The process's tile (see the class comment). */
    static GemmTile choose() {
        String forced = System.getProperty(TILE_PROPERTY);
        if (forced != null && !forced.isBlank()) {
            GemmTile t = parse(forced);
            if (t != null) return t;
            System.err.println("lacuna: -D" + TILE_PROPERTY + "=" + forced + " is not RxV with R in 1..6 and V 2 or 4; probing instead");
        }
        List<GemmTile> cands = candidates(Species.registers());
        if (cands.size() == 1) return cands.get(0);
        GemmTile known = measured(CpuInfo.model(), Species.bits());
        if (known != null) return known;
        String key = cacheKey();
        Path file = cacheFile();
        GemmTile cached = file == null ? null : readCache(file, key);
        if (cached != null && cands.contains(cached)) return cached;
        double[] g = TileProbe.gflops(cands);
        GemmTile best = TileProbe.pick(cands, g);
        if (file != null) writeCache(file, key, best, measuredLine(cands, g));
        return best;
    }

    /** CPU, vector width, registers and JVM: a change of any of them means probing again. */
    static String cacheKey() {
        return (CpuInfo.model() + "|" + Species.bits() + "bit|" + Species.registers() + "regs|" + System.getProperty("java.vm.version"))
                .replaceAll("[^A-Za-z0-9|._+-]", "_");
    }

    static Path cacheFile() {
        try {
            String dir = System.getProperty(CACHE_DIR_PROPERTY);
            if (dir == null || dir.isBlank()) dir = System.getenv("LACUNA_CACHE_DIR");
            if (dir == null || dir.isBlank()) {
                String xdg = System.getenv("XDG_CACHE_HOME");
                String home = System.getProperty("user.home");
                if (xdg != null && !xdg.isBlank()) dir = Path.of(xdg, "lacuna").toString();
                else if (home != null && !home.isBlank()) dir = Path.of(home, ".cache", "lacuna").toString();
                else return null;
            }
            return Path.of(dir, "gemm-tile.properties");
        } catch (RuntimeException e) {
            return null;
        }
    }

    static GemmTile readCache(Path file, String key) {
        try {
            if (!Files.isRegularFile(file)) return null;
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            return parse(p.getProperty(key));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** What the probe measured, for the cache: {@code 4x2:171.9 4x4:231.9 ...} (GFLOP/s, one thread). */
    static String measuredLine(List<GemmTile> cands, double[] gflops) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cands.size(); c++) sb.append(c == 0 ? "" : " ").append(cands.get(c)).append(':').append(String.format(Locale.ROOT, "%.1f", gflops[c]));
        return sb.toString();
    }

    /** The suffix of the key under which the cache keeps {@link #measuredLine}. */
    static final String MEASURED_SUFFIX = ".probe_gflops";

    static void writeCache(Path file, String key, GemmTile tile) {
        writeCache(file, key, tile, null);
    }

    static void writeCache(Path file, String key, GemmTile tile, String measured) {
        try {
            Files.createDirectories(file.getParent());
            Properties p = new Properties();
            if (Files.isRegularFile(file)) {
                try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(in);
                } catch (IOException | RuntimeException e) {
                    p.clear(); // a damaged cache is replaced
                }
            }
            p.setProperty(key, tile.toString());
            if (measured != null) p.setProperty(key + MEASURED_SUFFIX, measured);
            Path tmp = Files.createTempFile(file.getParent(), ".gemm-tile.", ".tmp");
            try {
                try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    p.store(out, "Lacuna: the dense GEMM tile measured fastest per CPU, vector width and JVM (delete to probe again)");
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException e) {
            // only costs the probe's time next run
        }
    }
}
