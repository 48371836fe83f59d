package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static dev.lacuna.kernel.internal.VectorGemmKernels.*;

/**
 * The Vector API GEMM: y[M, N] = x[M, K] · Wᵀ + bias (then optionally GELU) over W packed by
 * {@link PanelLayout} in panels of NR = NV·L columns (L = lanes of {@link Species}: 16 floats with
 * AVX-512; NV = 4 vectors where the CPU has 32 vector registers, 2 where it has 16).
 *
 * <p>Register-blocked micro-kernel: MR = 6 rows of x times one panel. With 32 registers (AVX-512):
 * 6x4 vector accumulators (24 of the 32 zmm registers), 4 panel vectors and one broadcast per step,
 * 24 FMAs per step. With 16 (AVX2): 6x2 accumulators, 2 panel vectors and a broadcast (15 of the 16
 * ymm registers), 12 FMAs per step; the 6x4 tile spills there and ran at 19-37 GFLOP/s of a 73 GFLOP/s
 * core (Zen 3, docs/BENCHMARKS.md; a 4x3 tile measured within noise of 6x2 there).
 * {@code -Dlacuna.gemm.panel=2|4} overrides the choice (for the lab).
 * The tile shape does not change results: each output element is the same FMA chain either way. K is not split (K ≤ a few thousand here; the panel, K·NR
 * floats, stays in L2): each output element is one FMA chain over p = 0..K-1, then + bias, then the
 * epilogue, so results do not depend on the thread split. Tails: the last M mod 6 rows use the
 * r-row kernels below (same chain per element); columns past N are zero padded in the panel and
 * masked on store.
 *
 * <p>Loop nest: {@link GemmTiles} hands each thread tiles of (row block of about MC rows, sized so the
 * x block [MC, K] stays in L2) x (one panel), row-block-major; per tile, 6 rows at a time (x rows in
 * L1) → micro-kernel → GELU on the fresh 6 x NR outputs if asked. Tried and measured: 4x4, 5x4, 8x3,
 * 12x2, 14x2, 4x6 and 3x8 micro-kernels (all within noise of 6x4 at 104-114 GFLOP/s on one Zen 4
 * core; 7x4 was slower), 64-byte alignment of the panels (no difference), MC from 48 to 672 rows
 * (no difference).
 *
 * <p>The micro-kernels, one per row count, are generated into {@link VectorGemmKernels} from one
 * pattern (the accumulators must be locals for C2 to keep them in registers).
 */
final class VectorGemm {
    private VectorGemm() {}

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();
    /** Vectors per panel: 4 with 32 vector registers, 2 with 16. */
    static final int NV = panelVectors(System.getProperty("lacuna.gemm.panel"), Species.registers());
    /** Panel width. */
    static final int NR = NV * L;
    /** Rows per micro-kernel. */
    static final int MR = 6;

    static int panelVectors(String forced, int registers) {
        if (forced != null && (forced.strip().equals("2") || forced.strip().equals("4"))) return Integer.parseInt(forced.strip());
        return registers >= 32 ? 4 : 2;
    }

    /** Rows per tile: the x block [MC, K] is sized to stay in L2 with the panel. */
    static int rowBlock(int k) {
        int rows = (64 * 1024) / Math.max(1, k); // x block of ~256 KiB
        return Math.max(MR, Math.min(256, rows / MR * MR));
    }

    static void gemm(Parallel par, float[] x, int m, int k, float[] w, int n, float[] bias, float[] y, boolean gelu) {
        GemmTiles.run(par, m, MR, PanelLayout.panels(n, NR), rowBlock(k), (r0, r1, q) -> tile(x, k, w, n, bias, y, gelu, r0, r1, q));
    }

    /** Rows [r0, r1) x panel q. */
    static void tile(float[] x, int k, float[] w, int n, float[] bias, float[] y, boolean gelu, int r0, int r1, int q) {
        int j = q * NR;
        int wo = q * k * NR;
        for (int i = r0; i < r1; i += MR) {
            int rows = Math.min(MR, r1 - i);
            if (NV == 4) {
                switch (rows) {
                    case 6 -> k6v4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 5 -> k5v4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 4 -> k4v4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 3 -> k3v4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 2 -> k2v4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    default -> k1v4(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                }
            } else {
                switch (rows) {
                    case 6 -> k6v2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 5 -> k5v2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 4 -> k4v2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 3 -> k3v2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    case 2 -> k2v2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                    default -> k1v2(x, i * k, k, w, wo, y, i * n + j, n, j, bias);
                }
            }
            if (gelu) {
                // Epilogue on the rows just stored (still in L1), kept out of the micro-kernels so
                // they stay small enough for C2 to keep every vector in a register.
                int cols = Math.min(NR, n - j);
                for (int r = i; r < i + rows; r++) VectorKernels.geluRange(y, r * n + j, r * n + j + cols);
            }
        }
    }

    /** Stores accumulator c (at y[yo], column col) plus bias; masks columns >= n. */
    static void put(FloatVector c, float[] y, int yo, int col, int n, float[] bias) {
        if (col + L <= n) {
            if (bias != null) c = c.add(FloatVector.fromArray(S, bias, col));
            c.intoArray(y, yo);
        } else if (col < n) {
            VectorMask<Float> mk = S.indexInRange(col, n);
            if (bias != null) c = c.add(FloatVector.fromArray(S, bias, col, mk));
            c.intoArray(y, yo, mk);
        }
    }
}
