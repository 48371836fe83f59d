// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.kernel.Linear;

import java.util.List;

/**
 * The weight-kernel cost model of one vector width: single-thread nanoseconds per unit of work, fitted
 * by the kernel lab ({@code CostTableLab} in the tests) on the machine named in {@link #measuredOn}.
 * The time of a kernel is {@code features(l, T) · constants}: it is linear in the constants, which is
 * what lets the lab fit them by least squares over measured kernels.
 *
 * <p>Work units (V = ceil(T / lanes) token vectors, tiles = ceil(T / (4 lanes))):
 * <ol start="0">
 *   <li>dense: one lane-wide FMA of the register-blocked GEMM, N·K·V (T ≥ 6)</li>
 *   <li>dense, T &lt; 6 (fewer rows than the micro-kernel: one load per FMA), N·K·V</li>
 *   <li>CSR: one stored value times one token vector; 3: CSR per stored value and tile</li>
 *   <li>N:M: one slot times one token vector; 5: per slot and tile</li>
 *   <li>blocked CSR per stored value and token vector, by block rows: 6: R = 1, 7: R = 2, 8: R ≥ 4,
 *       9: R ≥ 4 with one column (no column loop); a block pays the CSR per-tile part once per column</li>
 *   <li value="10">the transposes of sparse kernels, per element of x [T, K]; 11: of y [T, N]</li>
 * </ol>
 * One table per vector width, picked by the lanes of the vector kernels in use ({@link #forLanes}): the
 * relative cost of a gather-free SpMM against the GEMM differs between 8- and 16-lane machines.
 *
 * @param measuredOn the CPU and vector width the constants were fitted on, and when
 * @param lanes      floats per vector the constants are for
 * @param ns         the 12 constants above, ns per unit
 */
public record CostTable(String measuredOn, int lanes, List<Double> ns) {
    /** Number of work units (constants). */
    public static final int UNITS = 12;

    public CostTable {
        if (ns.size() != UNITS) throw new IllegalArgumentException("cost table needs " + UNITS + " constants, got " + ns.size());
        ns = List.copyOf(ns);
    }

    /** Zen 4 with AVX-512 (16 lanes, 3.7 GHz): the first session's kernel lab. */
    public static final CostTable ZEN4_AVX512 = new CostTable("AMD EPYC Zen 4, AVX-512, 2026-11-29", 16, List.of(
            0.30, 0.50, 0.45, 0.25, 0.45, 0.15, 0.46, 0.32, 0.35, 0.27, 0.35, 0.45));

    /**
     * Zen 3 with AVX2 (8 lanes), re-fitted by {@code CostTableLab} on 2026-12-08 after the sparse
     * transposes became rotate-and-blend pairs (2x faster) and the GEMM stopped K-blocking 16-float
     * panels (dense W 384x1536 2x faster) (35 cases, docs/BENCHMARKS.md, "Cost model tables"): within
     * ~20% of the measured speedups except N:M 1:4, rated 1.43-1.45x at 512 tokens against a measured
     * 0.88-1.02x (one linear model cannot hold both 2:4's specialised kernel and 1:4; a 1:4 mask is
     * also a 75% CSR mask, and CSR, rated and measured faster, wins the pick). The 2026-12-02 table
     * (before both kernel changes) rated CSR at 50% on W 384x1536 0.95x (measured now 0.68x).
     */
    public static final CostTable ZEN3_AVX2 = new CostTable("AMD EPYC Zen 3, AVX2, 2026-12-08", 8, List.of(
            0.2366, 0.1049, 0.3763, 0.6410, 0.4507, 0.4626, 1.0761, 0.2704, 0.6042, 0.1802, 0.5399, 0.7688));

    /**
     * Intel Xeon with AVX-512 (16 lanes, two 512-bit FMA ports; family 6 model 167), fitted by
     * {@code CostTableLab} on 2026-12-03 after the GEMM's raw-sum micro-kernels doubled dense speed
     * there (35 cases, docs/BENCHMARKS.md, "Cost model tables"). On that CPU the Zen 4 table rated
     * 1:4 at 2.08x dense (measured 1.34x), 1x8 blocks at 2.15x (1.32x) and CSR at 50% on 4 tokens at
     * 1.41x (0.31x: three times slower than dense); this one is within ~20% except CSR at 40 tokens,
     * which it rates ~30% high. The N:M per-slot unit came out 0 (its cost sits in the per-tile unit).
     */
    public static final CostTable INTEL_AVX512 = new CostTable("Intel Xeon family 6 model 167, AVX-512, 2026-12-03", 16, List.of(
            0.2854, 0.1364, 0.3330, 0.6239, 0.0000, 2.5390, 0.7864, 0.2958, 0.4104, 0.1224, 0.2008, 0.6893));

    /**
     * AMD Zen 5 with AVX-512 (16 lanes on a full 512-bit datapath; EPYC family 26 model 2), fitted by
     * {@code CostTableLab} on 2026-12-04 with the GEMM at 80-85% of peak there (35 cases,
     * docs/BENCHMARKS.md, "Cost model tables"). On that CPU the Zen 4 table rated 2:4 at 1.13x dense
     * (measured 0.68x), 1x8 blocks at 2.15x (0.92x), CSR at 50% on 512 tokens at 1.08x (0.77x) and
     * on 4 tokens at 1.41x (0.20x: five times slower than dense); this one is within ~20% at 512
     * tokens and rates CSR and blocks at 40 tokens 20-50% high. The N:M per-slot unit came out 0.
     */
    public static final CostTable ZEN5_AVX512 = new CostTable("AMD EPYC Zen 5 (family 26 model 2), AVX-512, 2026-12-04", 16, List.of(
            0.1535, 0.0554, 0.2911, 0.3750, 0.0000, 1.9671, 0.6711, 0.2100, 0.2677, 0.0780, 0.0847, 0.3156));

    /** The table for kernels of this many lanes on this CPU ({@link #forCpu}). */
    public static CostTable forLanes(int lanes) {
        return forCpu(lanes, dev.lacuna.kernel.internal.CpuInfo.model());
    }

    /**
     * The table for kernels of this many lanes on the CPU named {@code cpu} (as {@code CpuInfo.model()}
     * prints it): fewer than 16 lanes take the AVX2 table; 16 and more the Intel table on an Intel CPU,
     * the Zen 5 one on AMD family 26 and later (a 512-bit datapath), else the Zen 4 one. Per family,
     * because the relative cost of sparse kernels against the GEMM differs between a 256-bit and a
     * 512-bit FMA datapath even at the same vector width.
     */
    static CostTable forCpu(int lanes, String cpu) {
        if (lanes < 16) return ZEN3_AVX2;
        if (cpu == null) return ZEN4_AVX512;
        if (cpu.startsWith("Intel")) return INTEL_AVX512;
        if (cpu.startsWith("AMD") && dev.lacuna.kernel.internal.CpuInfo.family(cpu) >= 26) return ZEN5_AVX512;
        return ZEN4_AVX512;
    }

    /** The table for the vector kernels this JVM runs. */
    public static CostTable current() {
        return forLanes(VectorWidth.L);
    }

    /** Estimated single-thread time of {@code l} on {@code tokens} rows, ns on {@link #measuredOn}. */
    public double estimateNanos(Linear l, int tokens) {
        double[] f = features(l, tokens, lanes);
        double t = 0;
        for (int i = 0; i < UNITS; i++) t += f[i] * ns.get(i);
        return t;
    }

    /** How many of each work unit {@code l} does on {@code tokens} rows with vectors of {@code lanes}. */
    static double[] features(Linear l, int tokens, int lanes) {
        int k = l.inFeatures(), n = l.outFeatures();
        double vecs = Math.ceil(tokens / (double) lanes);
        double tiles = Math.ceil(tokens / (4.0 * lanes));
        double[] f = new double[UNITS];
        switch (l) {
            case CsrLinear c -> {
                f[2] = c.storedValues() * vecs;
                f[3] = c.storedValues() * tiles;
            }
            case NmLinear m -> {
                f[4] = m.storedValues() * vecs;
                f[5] = m.storedValues() * tiles;
            }
            case BlockCsrLinear b -> {
                int unit = b.blockRows() >= 4 ? (b.blockCols() == 1 ? 9 : 8) : b.blockRows() >= 2 ? 7 : 6;
                f[unit] = b.storedValues() * vecs;
                f[3] = b.storedValues() * tiles / b.blockCols();
            }
            default -> f[tokens < 6 ? 1 : 0] = (double) n * k * vecs;
        }
        if (l instanceof SparseLinear) {
            f[10] = (double) tokens * k;
            f[11] = (double) tokens * n;
        }
        return f;
    }
}
