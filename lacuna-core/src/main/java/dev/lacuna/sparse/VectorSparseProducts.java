// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntToLongFunction;

import static dev.lacuna.sparse.VectorSparseKernels.*;

/**
 * The Vector API sparse products, after XNNPACK's SpMM (Elsen et al. 2019, "Fast Sparse ConvNets",
 * Sec. 4): each stored weight w[n, k] scales a contiguous run of activations of input k, so the
 * kernels vectorise across tokens and need no gather in the inner loop.
 *
 * <p>Shapes: T tokens, K input features (K' ≥ K with zero rows up to whole N:M groups or blocks),
 * N output features, L lanes of {@link Species} (16 floats with AVX-512), V ∈ {1, 2, 4}
 * vectors of tokens per tile (also 8 for CSR with 8 lanes, {@link #CSR_VECS}), TT = V·L tokens.
 *
 * <p>Per token tile: x [T, K] is transposed into xt [K', TT] (96 KiB for K = 384 and TT = 64, in
 * L2); then, {@link #OUTPUT_GROUP} output rows at a time, the kernel accumulates each row's TT
 * outputs in V register vectors and stores them into the output tile [rows, TT], which is
 * transposed back into y [T, N] with the bias. Both transposes go by L x L blocks in registers
 * (two-source permutes with AVX-512, rotate-and-blend pairs with AVX2); gathers cost ~10x more per
 * element on Zen 4. The last tile of a batch uses the smallest V that covers its tokens.
 *
 * <p>Loads per FMA decide the speed. CSR and N:M load one xt vector per FMA (so they run at ~60%
 * of the dense GEMM's FMA rate, which loads one vector per 6 FMAs); N:M rows go two or four in
 * lockstep so that the group's xt lines one row pulls into L1 serve the next; an R x C block
 * loads C vectors for R·C FMAs. Hence also the 64-byte aligned scratch ({@link Scratch}): split
 * cache-line loads cost the load-bound loops ~30%.
 *
 * <p>Threads take whole token tiles when there are enough of them (each thread then streams all of
 * W once per tile); otherwise each tile's rows are split into chunks of equal stored values and
 * each thread transposes the tiles it touches itself. Every output lane is one FMA chain in
 * increasing column order, so the split never changes a value.
 *
 * <p>This is the hand-written driver (dispatch, tiling, threading); the kernels, written out per
 * shape, are generated into {@link VectorSparseKernels}. The L x L register transposes exist for
 * L = 16 and 8; other widths (128-bit vectors, L = 4) transpose with plain loops.
 */
final class VectorSparseProducts implements SparseProducts {
    static final VectorSparseProducts INSTANCE = new VectorSparseProducts();

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();
    /** Bytes per vector. */
    static final long VB = 4L * L;
    static final ByteOrder BO = ByteOrder.nativeOrder();
    /** Most vectors of tokens per tile: 4 accumulators per row cover the FMA latency. */
    static final int MAX_VECS = 4;
    /**
     * Vectors of tokens per CSR tile: 8 with 8 lanes (AVX2: 8 accumulators of 16 ymm; per stored
     * value its column, its value and 8 xt loads feed 8 FMAs instead of 4 loads' 4, measured 1.02-1.11x
     * faster on Zen 3, docs/BENCHMARKS.md), else {@link #MAX_VECS}.
     */
    static final int CSR_VECS = L == 8 ? 8 : MAX_VECS;
    /**
     * Output rows per group: the output tile [group, TT] is written back into y as whole L x L
     * blocks, and y rows get long contiguous runs (many short runs in a y that does not fit the
     * caches cost ~2x in write misses).
     */
    static final int OUTPUT_GROUP = 16 * L;

    /** Whether the L x L register transposes exist for this L; else plain loops. */
    private static final boolean BLOCK_TRANSPOSE = L == 16 || L == 8;

    // Permutes of the transposes' butterfly stage s (rows d = 2^s apart): lane i of LOs takes lane i
    // of the first row where bit d of i is clear, else lane i - d of the second; HIs the other half.
    static final FloatVector LO0 = stage(0, false), HI0 = stage(0, true);
    static final FloatVector LO1 = stage(1, false), HI1 = stage(1, true);
    static final FloatVector LO2 = stage(2, false), HI2 = stage(2, true);
    static final FloatVector LO3 = stage(3, false), HI3 = stage(3, true);

    // The same stages for L = 8 as one single-source rearrange and one blend per half (AVX2 has no
    // two-source permute): lo = a.blend(b.rearrange(DOWNs), BITs), hi = a.rearrange(UPs).blend(b, BITs).
    static final VectorShuffle<Float> UP0 = rotate(0, 1), UP1 = rotate(1, 1), UP2 = rotate(2, 1);
    static final VectorShuffle<Float> DOWN0 = rotate(0, -1), DOWN1 = rotate(1, -1), DOWN2 = rotate(2, -1);
    static final VectorMask<Float> BIT0 = bit(0), BIT1 = bit(1), BIT2 = bit(2);

    /** Lane i takes lane i + sign·2^s (mod L). */
    private static VectorShuffle<Float> rotate(int s, int sign) {
        if (L != 8) return null;
        int[] idx = new int[L];
        for (int i = 0; i < L; i++) idx[i] = Math.floorMod(i + sign * (1 << s), L);
        return VectorShuffle.fromArray(S, idx, 0);
    }

    /** Lanes whose bit s is set. */
    private static VectorMask<Float> bit(int s) {
        if (L != 8) return null;
        boolean[] b = new boolean[L];
        for (int i = 0; i < L; i++) b[i] = (i & (1 << s)) != 0;
        return VectorMask.fromArray(S, b, 0);
    }

    /** Indices into the pair (a, b), lanes 0..L-1 of a then of b, for {@code selectFrom(a, b)}. */
    private static FloatVector stage(int s, boolean hi) {
        int d = 1 << s;
        if (!BLOCK_TRANSPOSE || d >= L) return null;
        float[] idx = new float[L];
        for (int i = 0; i < L; i++) {
            boolean second = (i & d) != 0;
            idx[i] = hi ? (second ? L + i : i + d) : (second ? L + i - d : i);
        }
        return FloatVector.fromArray(S, idx, 0);
    }

    private VectorSparseProducts() {}

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    static FloatVector load(MemorySegment m, long offset) {
        return FloatVector.fromMemorySegment(S, m, offset, BO);
    }

    /** Computes output rows [r0, r1) of one token tile into the output tile [(r - r0), V·L]. */
    @FunctionalInterface
    private interface Rows {
        void compute(MemorySegment xt, int vecs, int r0, int r1, MemorySegment acc);
    }

    @Override
    public void csr(Parallel par, float[] x, int tokens, int k, int n, int[] rowPtr, char[] cols, int[] wide, float[] values, float[] bias, float[] y) {
        Rows rows = cols != null
                ? (xt, vecs, r0, r1, acc) -> {
                    switch (vecs) {
                        case 8 -> { for (int r = r0; r < r1; r++) csrOne8(xt, rowPtr, cols, values, r, acc, (r - r0) * 8 * VB); }
                        case 4 -> { for (int r = r0; r < r1; r++) csrOne4(xt, rowPtr, cols, values, r, acc, (r - r0) * 4 * VB); }
                        case 2 -> csrPair2(xt, rowPtr, cols, values, r0, r1, acc);
                        default -> csrPair1(xt, rowPtr, cols, values, r0, r1, acc);
                    }
                }
                : (xt, vecs, r0, r1, acc) -> {
                    switch (vecs) {
                        case 8 -> { for (int r = r0; r < r1; r++) csrOne8Wide(xt, rowPtr, wide, values, r, acc, (r - r0) * 8 * VB); }
                        case 4 -> { for (int r = r0; r < r1; r++) csrOne4Wide(xt, rowPtr, wide, values, r, acc, (r - r0) * 4 * VB); }
                        case 2 -> csrPair2Wide(xt, rowPtr, wide, values, r0, r1, acc);
                        default -> csrPair1Wide(xt, rowPtr, wide, values, r0, r1, acc);
                    }
                };
        run(par, x, tokens, k, k, n, n, L, CSR_VECS, r -> rowPtr[r], rows, bias, y);
    }

    @Override
    public void csrInt8(Parallel par, float[] x, int tokens, int k, int n, int[] rowPtr, char[] cols, int[] wide, byte[] values, float[] scale, float[] bias, float[] y) {
        Rows rows = cols != null
                ? (xt, vecs, r0, r1, acc) -> {
                    switch (vecs) {
                        case 4 -> { for (int r = r0; r < r1; r++) csrOne4I8(xt, rowPtr, cols, values, scale, r, acc, (r - r0) * 4 * VB); }
                        case 2 -> csrPair2I8(xt, rowPtr, cols, values, scale, r0, r1, acc);
                        default -> csrPair1I8(xt, rowPtr, cols, values, scale, r0, r1, acc);
                    }
                }
                : (xt, vecs, r0, r1, acc) -> {
                    switch (vecs) {
                        case 4 -> { for (int r = r0; r < r1; r++) csrOne4WideI8(xt, rowPtr, wide, values, scale, r, acc, (r - r0) * 4 * VB); }
                        case 2 -> csrPair2WideI8(xt, rowPtr, wide, values, scale, r0, r1, acc);
                        default -> csrPair1WideI8(xt, rowPtr, wide, values, scale, r0, r1, acc);
                    }
                };
        run(par, x, tokens, k, k, n, n, L, MAX_VECS, r -> rowPtr[r], rows, bias, y);
    }

    @Override
    public void nOfM(Parallel par, float[] x, int tokens, int k, int n, int nn, int m, float[] values, byte[] positions, float[] bias, float[] y) {
        int groups = (k + m - 1) / m;
        long slots = (long) groups * nn;
        Rows rows = (xt, vecs, r0, r1, acc) -> {
            long tt = vecs * VB;
            int r = r0;
            // Rows in lockstep, 2 at V = 4 and 4 at V ≤ 2 (at least 8 FMA chains): the group's xt lines
            // that the first row pulls into L1 serve the others. 2:4 has its slots unrolled; unrolling the
            // 4 slots of 4:8 too makes the methods so large that C2 stops inlining the loads (~20x slower),
            // and two at a time measured no better than the loop.
            switch (vecs) {
                case 4 -> {
                    for (; r + 2 <= r1; r += 2) {
                        switch (nn) {
                            case 2 -> nm2x4n2(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                            default -> nm2x4(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                        }
                    }
                }
                case 2 -> {
                    for (; r + 4 <= r1; r += 4) {
                        switch (nn) {
                            case 2 -> nm4x2n2(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                            default -> nm4x2(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                        }
                    }
                }
                default -> {
                    for (; r + 4 <= r1; r += 4) {
                        switch (nn) {
                            case 2 -> nm4x1n2(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                            default -> nm4x1(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                        }
                    }
                }
            }
            for (; r < r1; r++) {
                switch (vecs) {
                    case 4 -> nm1x4(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                    case 2 -> nm1x2(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                    default -> nm1x1(xt, values, positions, groups, nn, m, r, acc, (r - r0) * tt);
                }
            }
        };
        run(par, x, tokens, k, groups * m, n, n, L, MAX_VECS, r -> r * slots, rows, bias, y);
    }

    @Override
    public void block(Parallel par, float[] x, int tokens, int k, int n, int br, int bc, int[] blockPtr, int[] blockCols, float[] values, float[] bias, float[] y) {
        int kp = (k + bc - 1) / bc * bc;
        int np = (n + br - 1) / br * br;
        long blockSize = (long) br * bc;

        Rows rows = (xt, vecs, r0, r1, acc) -> {
            long tt = vecs * VB;
            for (int b = r0 / br; b < r1 / br; b++) {
                long ao = (long) (b * br - r0) * tt;
                // Passes of 4, 2, 1 rows of the block: 4 rows x V vectors of accumulators fit the registers.
                for (int q = 0; q < br; ) {
                    int p = br - q >= 4 ? 4 : br - q >= 2 ? 2 : 1;
                    blockPass(xt, vecs, p, blockPtr, blockCols, values, br, bc, b, q, acc, ao + q * tt);
                    q += p;
                }
            }
        };
        run(par, x, tokens, k, kp, n, np, lcm(br, L), MAX_VECS, r -> blockPtr[r / br] * blockSize, rows, bias, y);
    }

    /**
     * Rows q .. q+p-1 of block row b: the kernel for p rows, V = vecs and the block width. Widths
     * 1, 2 and 4 are unrolled while p·C ≤ 4 (a loop over so few columns costs the one-row kernels
     * 2x; unrolling more makes methods too large for C2 to inline their loads).
     */
    private static void blockPass(MemorySegment xt, int vecs, int p, int[] blockPtr, int[] blockCols, float[] values,
                                  int br, int bc, int b, int q, MemorySegment acc, long ao) {
        int c = (bc == 1 || bc == 2 || bc == 4) && p * bc <= 4 ? bc : 0;
        switch ((c * 8 + p) * 8 + vecs) {
            case 36 -> blk4x4(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 34 -> blk4x2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 33 -> blk4x1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 20 -> blk2x4(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 18 -> blk2x2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 17 -> blk2x1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 12 -> blk1x4(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 10 -> blk1x2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 9 -> blk1x1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 100 -> blk4x4c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 98 -> blk4x2c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 97 -> blk4x1c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 84 -> blk2x4c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 82 -> blk2x2c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 81 -> blk2x1c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 76 -> blk1x4c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 74 -> blk1x2c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 73 -> blk1x1c1(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 148 -> blk2x4c2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 146 -> blk2x2c2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 145 -> blk2x1c2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 140 -> blk1x4c2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 138 -> blk1x2c2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 137 -> blk1x1c2(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 268 -> blk1x4c4(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 266 -> blk1x2c4(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            case 265 -> blk1x1c4(xt, blockPtr, blockCols, values, br, bc, b, q, acc, ao);
            default -> throw new IllegalStateException("no block kernel for " + p + " rows, " + bc + " columns, " + vecs + " vectors");
        }
    }

    /**
     * The tiling and threading shared by all formats.
     *
     * @param x          [T, K]
     * @param kp         K' ≥ K: rows of xt; rows K .. K' are zero
     * @param n          N: rows of y
     * @param np         rows the kernel computes (≥ N for partial blocks), a multiple of the block
     *                   rows
     * @param align      chunk boundaries are multiples of it (whole blocks, whole L x L transposes)
     * @param workBefore stored values before an aligned row, for balancing the chunks
     * @param bias       [N] or null
     * @param y          [T, N]
     */
    private static void run(Parallel par, float[] x, int tokens, int k, int kp, int n, int np, int align, int maxVecs,
                            IntToLongFunction workBefore, Rows rows, float[] bias, float[] y) {
        if (tokens == 0 || n == 0) return;
        // Tiles of maxVecs·L tokens while whole ones fit, then of MAX_VECS·L (the last one with the
        // fewest vectors that cover it): an 8-vector tile over 40 tokens would compute 64 lanes.
        int big = maxVecs * L, small = MAX_VECS * L;
        int whole = tokens / big;
        int rest = tokens - whole * big;
        int tiles = whole + (rest + small - 1) / small;
        int threads = par.threads();
        // Whole tiles per thread when they split evenly enough; else every thread takes a share of
        // each tile's rows (and transposes that tile itself).
        int chunks = tiles % threads == 0 || tiles >= 8 * threads ? 1 : threads;
        int[] bounds = rowBounds(np, align, Math.min(chunks, (np + align - 1) / align), workBefore);
        int nChunks = bounds.length - 1;
        int group = Math.max(1, OUTPUT_GROUP / align) * align;
        long outBytes = (long) ((group + L - 1) / L * L) * big * 4;
        // units (tile, row chunk) go one at a time to whichever thread is free (Parallel.forChunks)
        par.forChunks(tiles * nChunks, 1, (u0, u1) -> {
            Scratch scratch = Scratch.get();
            MemorySegment xt = scratch.tile((long) kp * big * 4);
            MemorySegment acc = scratch.out(outBytes);
            int loaded = -1;
            for (int u = u0; u < u1; u++) {
                int tile = u / nChunks, c = u % nChunks;
                int t0 = tile < whole ? tile * big : whole * big + (tile - whole) * small;
                int tv = tile < whole ? big : Math.min(small, tokens - t0);
                int vecs = tile < whole ? maxVecs : tv <= L ? 1 : tv <= 2 * L ? 2 : MAX_VECS;
                if (tile != loaded) {
                    transposeIn(x, tokens, k, kp, t0, vecs, xt);
                    loaded = tile;
                }
                for (int r0 = bounds[c]; r0 < bounds[c + 1]; r0 += group) {
                    int r1 = Math.min(r0 + group, bounds[c + 1]);
                    rows.compute(xt, vecs, r0, r1, acc);
                    transposeOut(acc, vecs, r0, Math.min(r1, n) - r0, t0, tv, n, bias, y);
                }
            }
        });
    }

    private static int lcm(int a, int b) {
        int x = a, y = b;
        while (y != 0) {
            int t = x % y;
            x = y;
            y = t;
        }
        return a / x * b;
    }

    /**
     * Splits rows [0, np) into at most {@code chunks} runs, with boundaries at multiples of
     * {@code group}, of about equal work (stored values plus one per row, for the rows' fixed cost).
     *
     * @return boundaries, [0, .., np]
     */
    static int[] rowBounds(int np, int group, int chunks, IntToLongFunction workBefore) {
        int groups = (np + group - 1) / group;
        if (chunks <= 1 || groups <= 1) return new int[] {0, np};
        long total = workBefore.applyAsLong(np) + np;
        int[] b = new int[chunks + 1];
        b[chunks] = np;
        for (int c = 1; c < chunks; c++) {
            long target = total * c / chunks;
            int lo = b[c - 1] / group, hi = groups; // first group boundary g with work(g·group) ≥ target
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                int row = Math.min(np, mid * group);
                if (workBefore.applyAsLong(row) + row >= target) hi = mid;
                else lo = mid + 1;
            }
            b[c] = Math.min(np, lo * group);
        }
        return b;
    }

    /**
     * xt[kk, i] = x[t0 + i, kk] for i < tv (tokens left), 0 for the padding lanes and rows kk ≥ K.
     *
     * @param x  [T, K]
     * @param xt [K', V·L]
     */
    private static void transposeIn(float[] x, int tokens, int k, int kp, int t0, int vecs, MemorySegment xt) {
        int tt = vecs * L;
        long ttb = tt * 4L;
        int tv = Math.min(tt, tokens - t0);
        int full = BLOCK_TRANSPOSE ? tv / L : 0; // whole vectors of tokens, by L x L blocks
        int kFull = k / L * L;
        for (int v = 0; v < full; v++) {
            int xo = (t0 + v * L) * k;
            // One vector of tokens at a time: L rows of x stream in, which the prefetcher follows.
            for (int k0 = 0; k0 < kFull; k0 += L) {
                if (L == 16) transposeIn16(x, xo + k0, k, xt, k0 * ttb + v * VB, ttb);
                else transposeIn8(x, xo + k0, k, xt, k0 * ttb + v * VB, ttb);
            }
            for (int kk = kFull; kk < k; kk++) {
                for (int i = 0; i < L; i++) xt.setAtIndex(ValueLayout.JAVA_FLOAT, (long) kk * tt + v * L + i, x[xo + i * k + kk]);
            }
        }
        for (int t = full * L; t < tv; t++) {
            int xo = (t0 + t) * k;
            for (int kk = 0; kk < k; kk++) xt.setAtIndex(ValueLayout.JAVA_FLOAT, (long) kk * tt + t, x[xo + kk]);
        }
        if (tv < tt) {
            for (int kk = 0; kk < k; kk++) xt.asSlice((long) kk * ttb + tv * 4L, (tt - tv) * 4L).fill((byte) 0);
        }
        if (kp > k) xt.asSlice(k * ttb, (kp - k) * ttb).fill((byte) 0);
    }

    /**
     * y[t0 + t, n0 + r] = acc[r, t] + bias[n0 + r] for t < tv, r < cnt.
     *
     * @param acc [rows ≥ cnt, V·L]
     * @param y   [T, N]
     */
    private static void transposeOut(MemorySegment acc, int vecs, int n0, int cnt, int t0, int tv, int n, float[] bias, float[] y) {
        int tt = vecs * L;
        long ttb = tt * 4L;
        int rr = 0;
        if (BLOCK_TRANSPOSE) {
            int full = tv / L, rows = cnt / L * L;
            for (int v = 0; v < full; v++) {
                for (int r = 0; r < rows; r += L) {
                    FloatVector b = bias == null ? null : FloatVector.fromArray(S, bias, n0 + r);
                    if (L == 16) transposeOut16(acc, r * ttb + v * VB, ttb, y, (t0 + v * L) * n + n0 + r, n, b);
                    else transposeOut8(acc, r * ttb + v * VB, ttb, y, (t0 + v * L) * n + n0 + r, n, b);
                }
            }
            for (int t = full * L; t < tv; t++) {
                int yo = (t0 + t) * n + n0;
                for (int r = 0; r < rows; r++) {
                    float a = acc.getAtIndex(ValueLayout.JAVA_FLOAT, (long) r * tt + t);
                    y[yo + r] = bias == null ? a : a + bias[n0 + r];
                }
            }
            rr = rows;
        }
        for (; rr < cnt; rr++) {
            for (int t = 0; t < tv; t++) {
                float a = acc.getAtIndex(ValueLayout.JAVA_FLOAT, (long) rr * tt + t);
                y[(t0 + t) * n + n0 + rr] = bias == null ? a : a + bias[n0 + rr];
            }
        }
    }
}
