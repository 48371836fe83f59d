package dev.lacuna.sparse;

import dev.lacuna.concurrent.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntToLongFunction;

/**
 * The Vector API sparse products, after XNNPACK's SpMM (Elsen et al. 2019, "Fast Sparse ConvNets",
 * Sec. 4): each stored weight w[n, k] scales a contiguous run of activations of input k, so the
 * kernels vectorise across tokens and need no gather in the inner loop.
 *
 * <p>Shapes: T tokens, K input features (K' ≥ K with zero rows up to whole N:M groups or blocks),
 * N output features, L lanes of the preferred species (16 floats with AVX-512), V ∈ {1, 2, 4}
 * vectors of tokens per tile, TT = V·L tokens.
 *
 * <p>Per token tile: x [T, K] is transposed into xt [K', TT] (96 KiB for K = 384 and TT = 64, in
 * L2); then, {@link #OUTPUT_GROUP} output rows at a time, the kernel accumulates each row's TT
 * outputs in V register vectors and stores them into the output tile [rows, TT], which is
 * transposed back into y [T, N] with the bias. Both transposes go by L x L blocks in registers
 * (two-source permutes); gathers cost ~10x more per element on Zen 4. The last tile of a batch
 * uses the smallest V that covers its tokens.
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
 */
final class VectorSparseProducts implements SparseProducts {
    static final VectorSparseProducts INSTANCE = new VectorSparseProducts();

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    /** Bytes per vector. */
    static final long VB = 4L * L;
    static final ByteOrder BO = ByteOrder.nativeOrder();
    /** Most vectors of tokens per tile: 4 accumulators per row cover the FMA latency. */
    static final int MAX_VECS = 4;
    static final int TILE = MAX_VECS * L;
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
    private static final FloatVector LO0 = stage(0, false), HI0 = stage(0, true);
    private static final FloatVector LO1 = stage(1, false), HI1 = stage(1, true);
    private static final FloatVector LO2 = stage(2, false), HI2 = stage(2, true);
    private static final FloatVector LO3 = stage(3, false), HI3 = stage(3, true);

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

    /** Bits of the preferred species (the provider refuses narrow ones). */
    static int vectorBits() {
        return S.vectorBitSize();
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    private static FloatVector load(MemorySegment m, long offset) {
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
                        case 4 -> { for (int r = r0; r < r1; r++) csrOne4(xt, rowPtr, cols, values, r, acc, (r - r0) * 4 * VB); }
                        case 2 -> csrPair2(xt, rowPtr, cols, values, r0, r1, acc);
                        default -> csrPair1(xt, rowPtr, cols, values, r0, r1, acc);
                    }
                }
                : (xt, vecs, r0, r1, acc) -> {
                    switch (vecs) {
                        case 4 -> { for (int r = r0; r < r1; r++) csrOne4Wide(xt, rowPtr, wide, values, r, acc, (r - r0) * 4 * VB); }
                        case 2 -> csrPair2Wide(xt, rowPtr, wide, values, r0, r1, acc);
                        default -> csrPair1Wide(xt, rowPtr, wide, values, r0, r1, acc);
                    }
                };
        run(par, x, tokens, k, k, n, n, L, r -> rowPtr[r], rows, bias, y);
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
        run(par, x, tokens, k, groups * m, n, n, L, r -> r * slots, rows, bias, y);
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
        run(par, x, tokens, k, kp, n, np, lcm(br, L), r -> blockPtr[r / br] * blockSize, rows, bias, y);
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
    private static void run(Parallel par, float[] x, int tokens, int k, int kp, int n, int np, int align,
                            IntToLongFunction workBefore, Rows rows, float[] bias, float[] y) {
        if (tokens == 0 || n == 0) return;
        int tiles = (tokens + TILE - 1) / TILE;
        int threads = par.threads();
        // Whole tiles per thread when they split evenly enough; else every thread takes a share of
        // each tile's rows (and transposes that tile itself).
        int chunks = tiles % threads == 0 || tiles >= 8 * threads ? 1 : threads;
        int[] bounds = rowBounds(np, align, Math.min(chunks, (np + align - 1) / align), workBefore);
        int nChunks = bounds.length - 1;
        int group = Math.max(1, OUTPUT_GROUP / align) * align;
        long outBytes = (long) ((group + L - 1) / L * L) * TILE * 4;
        par.forRange(tiles * nChunks, 1, (u0, u1) -> {
            Scratch scratch = Scratch.get();
            MemorySegment xt = scratch.tile((long) kp * TILE * 4);
            MemorySegment acc = scratch.out(outBytes);
            int loaded = -1;
            for (int u = u0; u < u1; u++) {
                int tile = u / nChunks, c = u % nChunks;
                int t0 = tile * TILE;
                int tv = Math.min(TILE, tokens - t0);
                int vecs = tv <= L ? 1 : tv <= 2 * L ? 2 : 4;
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

    // ---- Generated below by src/test/java/dev/lacuna/sparse/gen_vector_kernels.py (one pattern per
    // family): regenerate rather than edit one by hand. Accumulators are locals so that C2 keeps them
    // in registers; every output lane is one FMA chain over the row's stored values in increasing
    // column order. Keep each method under ~16 vector loads: in larger ones C2 runs out of inlining
    // budget (NodeCountInliningCutoff), stops inlining the loads and boxes every vector. ----
    //
    // Arguments shared by the kernels below (V = vectors of tokens in the method's name, TT = V·L):
    //   xt        [K', TT] transposed token tile, 64-byte aligned; row k at byte k·TT·4
    //   acc, ao   output tile [rows, TT]; the first row computed starts at byte ao (at 0 for r0..r1)
    //   rowPtr    [N + 1], cols / wide [nnz], values [nnz]           (CSR)
    //   values, positions [N, G, nn], groups G = ceil(K / m), nn, m   (N:M; row r's slots from r·G·nn)
    //   blockPtr [ceil(N / R) + 1], blockCols [B], values [B, C, R], br = R, bc = C, b = block row,
    //   q = first row within the block                                (blocked CSR)
    //   src/dst, so/dO, ss/ds  transposes: row i of the source at so + i·ss, row j of the result
    //             at dO + j·ds (floats in float[], bytes in segments)

    /** xt rows dO + j·ds (bytes) = column j of the 16 x 16 block of x whose row i starts at so + i·ss. */
    private static void transposeIn16(float[] src, int so, int ss, MemorySegment dst, long dO, long ds) {
        FloatVector r0 = FloatVector.fromArray(S, src, so);
        FloatVector r1 = FloatVector.fromArray(S, src, so + 1 * ss);
        FloatVector r2 = FloatVector.fromArray(S, src, so + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(S, src, so + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(S, src, so + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(S, src, so + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(S, src, so + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(S, src, so + 7 * ss);
        FloatVector r8 = FloatVector.fromArray(S, src, so + 8 * ss);
        FloatVector r9 = FloatVector.fromArray(S, src, so + 9 * ss);
        FloatVector r10 = FloatVector.fromArray(S, src, so + 10 * ss);
        FloatVector r11 = FloatVector.fromArray(S, src, so + 11 * ss);
        FloatVector r12 = FloatVector.fromArray(S, src, so + 12 * ss);
        FloatVector r13 = FloatVector.fromArray(S, src, so + 13 * ss);
        FloatVector r14 = FloatVector.fromArray(S, src, so + 14 * ss);
        FloatVector r15 = FloatVector.fromArray(S, src, so + 15 * ss);
        FloatVector s0_0 = LO0.selectFrom(r0, r1), s0_1 = HI0.selectFrom(r0, r1);
        FloatVector s0_2 = LO0.selectFrom(r2, r3), s0_3 = HI0.selectFrom(r2, r3);
        FloatVector s0_4 = LO0.selectFrom(r4, r5), s0_5 = HI0.selectFrom(r4, r5);
        FloatVector s0_6 = LO0.selectFrom(r6, r7), s0_7 = HI0.selectFrom(r6, r7);
        FloatVector s0_8 = LO0.selectFrom(r8, r9), s0_9 = HI0.selectFrom(r8, r9);
        FloatVector s0_10 = LO0.selectFrom(r10, r11), s0_11 = HI0.selectFrom(r10, r11);
        FloatVector s0_12 = LO0.selectFrom(r12, r13), s0_13 = HI0.selectFrom(r12, r13);
        FloatVector s0_14 = LO0.selectFrom(r14, r15), s0_15 = HI0.selectFrom(r14, r15);
        FloatVector s1_0 = LO1.selectFrom(s0_0, s0_2), s1_2 = HI1.selectFrom(s0_0, s0_2);
        FloatVector s1_1 = LO1.selectFrom(s0_1, s0_3), s1_3 = HI1.selectFrom(s0_1, s0_3);
        FloatVector s1_4 = LO1.selectFrom(s0_4, s0_6), s1_6 = HI1.selectFrom(s0_4, s0_6);
        FloatVector s1_5 = LO1.selectFrom(s0_5, s0_7), s1_7 = HI1.selectFrom(s0_5, s0_7);
        FloatVector s1_8 = LO1.selectFrom(s0_8, s0_10), s1_10 = HI1.selectFrom(s0_8, s0_10);
        FloatVector s1_9 = LO1.selectFrom(s0_9, s0_11), s1_11 = HI1.selectFrom(s0_9, s0_11);
        FloatVector s1_12 = LO1.selectFrom(s0_12, s0_14), s1_14 = HI1.selectFrom(s0_12, s0_14);
        FloatVector s1_13 = LO1.selectFrom(s0_13, s0_15), s1_15 = HI1.selectFrom(s0_13, s0_15);
        FloatVector s2_0 = LO2.selectFrom(s1_0, s1_4), s2_4 = HI2.selectFrom(s1_0, s1_4);
        FloatVector s2_1 = LO2.selectFrom(s1_1, s1_5), s2_5 = HI2.selectFrom(s1_1, s1_5);
        FloatVector s2_2 = LO2.selectFrom(s1_2, s1_6), s2_6 = HI2.selectFrom(s1_2, s1_6);
        FloatVector s2_3 = LO2.selectFrom(s1_3, s1_7), s2_7 = HI2.selectFrom(s1_3, s1_7);
        FloatVector s2_8 = LO2.selectFrom(s1_8, s1_12), s2_12 = HI2.selectFrom(s1_8, s1_12);
        FloatVector s2_9 = LO2.selectFrom(s1_9, s1_13), s2_13 = HI2.selectFrom(s1_9, s1_13);
        FloatVector s2_10 = LO2.selectFrom(s1_10, s1_14), s2_14 = HI2.selectFrom(s1_10, s1_14);
        FloatVector s2_11 = LO2.selectFrom(s1_11, s1_15), s2_15 = HI2.selectFrom(s1_11, s1_15);
        FloatVector s3_0 = LO3.selectFrom(s2_0, s2_8), s3_8 = HI3.selectFrom(s2_0, s2_8);
        FloatVector s3_1 = LO3.selectFrom(s2_1, s2_9), s3_9 = HI3.selectFrom(s2_1, s2_9);
        FloatVector s3_2 = LO3.selectFrom(s2_2, s2_10), s3_10 = HI3.selectFrom(s2_2, s2_10);
        FloatVector s3_3 = LO3.selectFrom(s2_3, s2_11), s3_11 = HI3.selectFrom(s2_3, s2_11);
        FloatVector s3_4 = LO3.selectFrom(s2_4, s2_12), s3_12 = HI3.selectFrom(s2_4, s2_12);
        FloatVector s3_5 = LO3.selectFrom(s2_5, s2_13), s3_13 = HI3.selectFrom(s2_5, s2_13);
        FloatVector s3_6 = LO3.selectFrom(s2_6, s2_14), s3_14 = HI3.selectFrom(s2_6, s2_14);
        FloatVector s3_7 = LO3.selectFrom(s2_7, s2_15), s3_15 = HI3.selectFrom(s2_7, s2_15);
        s3_0.intoMemorySegment(dst, dO, BO);
        s3_1.intoMemorySegment(dst, dO + 1 * ds, BO);
        s3_2.intoMemorySegment(dst, dO + 2 * ds, BO);
        s3_3.intoMemorySegment(dst, dO + 3 * ds, BO);
        s3_4.intoMemorySegment(dst, dO + 4 * ds, BO);
        s3_5.intoMemorySegment(dst, dO + 5 * ds, BO);
        s3_6.intoMemorySegment(dst, dO + 6 * ds, BO);
        s3_7.intoMemorySegment(dst, dO + 7 * ds, BO);
        s3_8.intoMemorySegment(dst, dO + 8 * ds, BO);
        s3_9.intoMemorySegment(dst, dO + 9 * ds, BO);
        s3_10.intoMemorySegment(dst, dO + 10 * ds, BO);
        s3_11.intoMemorySegment(dst, dO + 11 * ds, BO);
        s3_12.intoMemorySegment(dst, dO + 12 * ds, BO);
        s3_13.intoMemorySegment(dst, dO + 13 * ds, BO);
        s3_14.intoMemorySegment(dst, dO + 14 * ds, BO);
        s3_15.intoMemorySegment(dst, dO + 15 * ds, BO);
    }

    /** y rows dO + j·ds = column j (+ bias, when not null) of the 16 x 16 output-tile block whose row i starts at byte so + i·ss. */
    private static void transposeOut16(MemorySegment src, long so, long ss, float[] dst, int dO, int ds, FloatVector bias) {
        FloatVector r0 = load(src, so);
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
        FloatVector s0_0 = LO0.selectFrom(r0, r1), s0_1 = HI0.selectFrom(r0, r1);
        FloatVector s0_2 = LO0.selectFrom(r2, r3), s0_3 = HI0.selectFrom(r2, r3);
        FloatVector s0_4 = LO0.selectFrom(r4, r5), s0_5 = HI0.selectFrom(r4, r5);
        FloatVector s0_6 = LO0.selectFrom(r6, r7), s0_7 = HI0.selectFrom(r6, r7);
        FloatVector s0_8 = LO0.selectFrom(r8, r9), s0_9 = HI0.selectFrom(r8, r9);
        FloatVector s0_10 = LO0.selectFrom(r10, r11), s0_11 = HI0.selectFrom(r10, r11);
        FloatVector s0_12 = LO0.selectFrom(r12, r13), s0_13 = HI0.selectFrom(r12, r13);
        FloatVector s0_14 = LO0.selectFrom(r14, r15), s0_15 = HI0.selectFrom(r14, r15);
        FloatVector s1_0 = LO1.selectFrom(s0_0, s0_2), s1_2 = HI1.selectFrom(s0_0, s0_2);
        FloatVector s1_1 = LO1.selectFrom(s0_1, s0_3), s1_3 = HI1.selectFrom(s0_1, s0_3);
        FloatVector s1_4 = LO1.selectFrom(s0_4, s0_6), s1_6 = HI1.selectFrom(s0_4, s0_6);
        FloatVector s1_5 = LO1.selectFrom(s0_5, s0_7), s1_7 = HI1.selectFrom(s0_5, s0_7);
        FloatVector s1_8 = LO1.selectFrom(s0_8, s0_10), s1_10 = HI1.selectFrom(s0_8, s0_10);
        FloatVector s1_9 = LO1.selectFrom(s0_9, s0_11), s1_11 = HI1.selectFrom(s0_9, s0_11);
        FloatVector s1_12 = LO1.selectFrom(s0_12, s0_14), s1_14 = HI1.selectFrom(s0_12, s0_14);
        FloatVector s1_13 = LO1.selectFrom(s0_13, s0_15), s1_15 = HI1.selectFrom(s0_13, s0_15);
        FloatVector s2_0 = LO2.selectFrom(s1_0, s1_4), s2_4 = HI2.selectFrom(s1_0, s1_4);
        FloatVector s2_1 = LO2.selectFrom(s1_1, s1_5), s2_5 = HI2.selectFrom(s1_1, s1_5);
        FloatVector s2_2 = LO2.selectFrom(s1_2, s1_6), s2_6 = HI2.selectFrom(s1_2, s1_6);
        FloatVector s2_3 = LO2.selectFrom(s1_3, s1_7), s2_7 = HI2.selectFrom(s1_3, s1_7);
        FloatVector s2_8 = LO2.selectFrom(s1_8, s1_12), s2_12 = HI2.selectFrom(s1_8, s1_12);
        FloatVector s2_9 = LO2.selectFrom(s1_9, s1_13), s2_13 = HI2.selectFrom(s1_9, s1_13);
        FloatVector s2_10 = LO2.selectFrom(s1_10, s1_14), s2_14 = HI2.selectFrom(s1_10, s1_14);
        FloatVector s2_11 = LO2.selectFrom(s1_11, s1_15), s2_15 = HI2.selectFrom(s1_11, s1_15);
        FloatVector s3_0 = LO3.selectFrom(s2_0, s2_8), s3_8 = HI3.selectFrom(s2_0, s2_8);
        FloatVector s3_1 = LO3.selectFrom(s2_1, s2_9), s3_9 = HI3.selectFrom(s2_1, s2_9);
        FloatVector s3_2 = LO3.selectFrom(s2_2, s2_10), s3_10 = HI3.selectFrom(s2_2, s2_10);
        FloatVector s3_3 = LO3.selectFrom(s2_3, s2_11), s3_11 = HI3.selectFrom(s2_3, s2_11);
        FloatVector s3_4 = LO3.selectFrom(s2_4, s2_12), s3_12 = HI3.selectFrom(s2_4, s2_12);
        FloatVector s3_5 = LO3.selectFrom(s2_5, s2_13), s3_13 = HI3.selectFrom(s2_5, s2_13);
        FloatVector s3_6 = LO3.selectFrom(s2_6, s2_14), s3_14 = HI3.selectFrom(s2_6, s2_14);
        FloatVector s3_7 = LO3.selectFrom(s2_7, s2_15), s3_15 = HI3.selectFrom(s2_7, s2_15);
        if (bias == null) {
            s3_0.intoArray(dst, dO);
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
        } else {
            s3_0.add(bias).intoArray(dst, dO);
            s3_1.add(bias).intoArray(dst, dO + 1 * ds);
            s3_2.add(bias).intoArray(dst, dO + 2 * ds);
            s3_3.add(bias).intoArray(dst, dO + 3 * ds);
            s3_4.add(bias).intoArray(dst, dO + 4 * ds);
            s3_5.add(bias).intoArray(dst, dO + 5 * ds);
            s3_6.add(bias).intoArray(dst, dO + 6 * ds);
            s3_7.add(bias).intoArray(dst, dO + 7 * ds);
            s3_8.add(bias).intoArray(dst, dO + 8 * ds);
            s3_9.add(bias).intoArray(dst, dO + 9 * ds);
            s3_10.add(bias).intoArray(dst, dO + 10 * ds);
            s3_11.add(bias).intoArray(dst, dO + 11 * ds);
            s3_12.add(bias).intoArray(dst, dO + 12 * ds);
            s3_13.add(bias).intoArray(dst, dO + 13 * ds);
            s3_14.add(bias).intoArray(dst, dO + 14 * ds);
            s3_15.add(bias).intoArray(dst, dO + 15 * ds);
        }
    }

    /** xt rows dO + j·ds (bytes) = column j of the 8 x 8 block of x whose row i starts at so + i·ss. */
    private static void transposeIn8(float[] src, int so, int ss, MemorySegment dst, long dO, long ds) {
        FloatVector r0 = FloatVector.fromArray(S, src, so);
        FloatVector r1 = FloatVector.fromArray(S, src, so + 1 * ss);
        FloatVector r2 = FloatVector.fromArray(S, src, so + 2 * ss);
        FloatVector r3 = FloatVector.fromArray(S, src, so + 3 * ss);
        FloatVector r4 = FloatVector.fromArray(S, src, so + 4 * ss);
        FloatVector r5 = FloatVector.fromArray(S, src, so + 5 * ss);
        FloatVector r6 = FloatVector.fromArray(S, src, so + 6 * ss);
        FloatVector r7 = FloatVector.fromArray(S, src, so + 7 * ss);
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
        s2_0.intoMemorySegment(dst, dO, BO);
        s2_1.intoMemorySegment(dst, dO + 1 * ds, BO);
        s2_2.intoMemorySegment(dst, dO + 2 * ds, BO);
        s2_3.intoMemorySegment(dst, dO + 3 * ds, BO);
        s2_4.intoMemorySegment(dst, dO + 4 * ds, BO);
        s2_5.intoMemorySegment(dst, dO + 5 * ds, BO);
        s2_6.intoMemorySegment(dst, dO + 6 * ds, BO);
        s2_7.intoMemorySegment(dst, dO + 7 * ds, BO);
    }

    /** y rows dO + j·ds = column j (+ bias, when not null) of the 8 x 8 output-tile block whose row i starts at byte so + i·ss. */
    private static void transposeOut8(MemorySegment src, long so, long ss, float[] dst, int dO, int ds, FloatVector bias) {
        FloatVector r0 = load(src, so);
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
        if (bias == null) {
            s2_0.intoArray(dst, dO);
            s2_1.intoArray(dst, dO + 1 * ds);
            s2_2.intoArray(dst, dO + 2 * ds);
            s2_3.intoArray(dst, dO + 3 * ds);
            s2_4.intoArray(dst, dO + 4 * ds);
            s2_5.intoArray(dst, dO + 5 * ds);
            s2_6.intoArray(dst, dO + 6 * ds);
            s2_7.intoArray(dst, dO + 7 * ds);
        } else {
            s2_0.add(bias).intoArray(dst, dO);
            s2_1.add(bias).intoArray(dst, dO + 1 * ds);
            s2_2.add(bias).intoArray(dst, dO + 2 * ds);
            s2_3.add(bias).intoArray(dst, dO + 3 * ds);
            s2_4.add(bias).intoArray(dst, dO + 4 * ds);
            s2_5.add(bias).intoArray(dst, dO + 5 * ds);
            s2_6.add(bias).intoArray(dst, dO + 6 * ds);
            s2_7.add(bias).intoArray(dst, dO + 7 * ds);
        }
    }

    /** Row r of CSR, 4 vector(s) of tokens, into the output tile at byte ao. */
    private static void csrOne4(MemorySegment xt, int[] rowPtr, char[] cols, float[] values, int r, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {
            long o = cols[j] * tt;
            FloatVector w = FloatVector.broadcast(S, values[j]);
            a0 = w.fma(load(xt, o), a0);
            a1 = w.fma(load(xt, o + 1 * VB), a1);
            a2 = w.fma(load(xt, o + 2 * VB), a2);
            a3 = w.fma(load(xt, o + 3 * VB), a3);
        }
        a0.intoMemorySegment(acc, ao, BO);
        a1.intoMemorySegment(acc, ao + 1 * VB, BO);
        a2.intoMemorySegment(acc, ao + 2 * VB, BO);
        a3.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** Row r of CSR, 2 vector(s) of tokens, into the output tile at byte ao. */
    private static void csrOne2(MemorySegment xt, int[] rowPtr, char[] cols, float[] values, int r, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {
            long o = cols[j] * tt;
            FloatVector w = FloatVector.broadcast(S, values[j]);
            a0 = w.fma(load(xt, o), a0);
            a1 = w.fma(load(xt, o + 1 * VB), a1);
        }
        a0.intoMemorySegment(acc, ao, BO);
        a1.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** Row r of CSR, 1 vector(s) of tokens, into the output tile at byte ao. */
    private static void csrOne1(MemorySegment xt, int[] rowPtr, char[] cols, float[] values, int r, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a0 = FloatVector.zero(S);
        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {
            long o = cols[j] * tt;
            FloatVector w = FloatVector.broadcast(S, values[j]);
            a0 = w.fma(load(xt, o), a0);
        }
        a0.intoMemorySegment(acc, ao, BO);
    }

    /**
     * Rows [r0, r1) of CSR, 2 vector(s) of tokens, two rows in lockstep so that 4 FMA chains hide
     * the FMA latency; each row keeps its own order.
     */
    private static void csrPair2(MemorySegment xt, int[] rowPtr, char[] cols, float[] values, int r0, int r1, MemorySegment acc) {
        final long tt = 2 * VB;
        int r = r0;
        for (; r + 1 < r1; r += 2) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), b0 = FloatVector.zero(S), b1 = FloatVector.zero(S);
            int ja = rowPtr[r], ea = rowPtr[r + 1], jb = ea, eb = rowPtr[r + 2];
            for (int common = Math.min(ea - ja, eb - jb); common > 0; common--, ja++, jb++) {
                long oa = cols[ja] * tt, ob = cols[jb] * tt;
                FloatVector wa = FloatVector.broadcast(S, values[ja]), wb = FloatVector.broadcast(S, values[jb]);
                a0 = wa.fma(load(xt, oa), a0);
                b0 = wb.fma(load(xt, ob), b0);
                a1 = wa.fma(load(xt, oa + 1 * VB), a1);
                b1 = wb.fma(load(xt, ob + 1 * VB), b1);
            }
            for (; ja < ea; ja++) {
                long o = cols[ja] * tt;
                FloatVector w = FloatVector.broadcast(S, values[ja]);
                a0 = w.fma(load(xt, o), a0);
                a1 = w.fma(load(xt, o + 1 * VB), a1);
            }
            for (; jb < eb; jb++) {
                long o = cols[jb] * tt;
                FloatVector w = FloatVector.broadcast(S, values[jb]);
                b0 = w.fma(load(xt, o), b0);
                b1 = w.fma(load(xt, o + 1 * VB), b1);
            }
            long ao = (r - r0) * tt;
            a0.intoMemorySegment(acc, ao, BO);
            a1.intoMemorySegment(acc, ao + 1 * VB, BO);
            b0.intoMemorySegment(acc, ao + tt, BO);
            b1.intoMemorySegment(acc, ao + tt + 1 * VB, BO);
        }
        if (r < r1) csrOne2(xt, rowPtr, cols, values, r, acc, (r - r0) * tt);
    }

    /**
     * Rows [r0, r1) of CSR, 1 vector(s) of tokens, two rows in lockstep so that 2 FMA chains hide
     * the FMA latency; each row keeps its own order.
     */
    private static void csrPair1(MemorySegment xt, int[] rowPtr, char[] cols, float[] values, int r0, int r1, MemorySegment acc) {
        final long tt = 1 * VB;
        int r = r0;
        for (; r + 1 < r1; r += 2) {
            FloatVector a0 = FloatVector.zero(S), b0 = FloatVector.zero(S);
            int ja = rowPtr[r], ea = rowPtr[r + 1], jb = ea, eb = rowPtr[r + 2];
            for (int common = Math.min(ea - ja, eb - jb); common > 0; common--, ja++, jb++) {
                long oa = cols[ja] * tt, ob = cols[jb] * tt;
                FloatVector wa = FloatVector.broadcast(S, values[ja]), wb = FloatVector.broadcast(S, values[jb]);
                a0 = wa.fma(load(xt, oa), a0);
                b0 = wb.fma(load(xt, ob), b0);
            }
            for (; ja < ea; ja++) {
                long o = cols[ja] * tt;
                FloatVector w = FloatVector.broadcast(S, values[ja]);
                a0 = w.fma(load(xt, o), a0);
            }
            for (; jb < eb; jb++) {
                long o = cols[jb] * tt;
                FloatVector w = FloatVector.broadcast(S, values[jb]);
                b0 = w.fma(load(xt, o), b0);
            }
            long ao = (r - r0) * tt;
            a0.intoMemorySegment(acc, ao, BO);
            b0.intoMemorySegment(acc, ao + tt, BO);
        }
        if (r < r1) csrOne1(xt, rowPtr, cols, values, r, acc, (r - r0) * tt);
    }

    /** Row r of CSR, 4 vector(s) of tokens, into the output tile at byte ao. */
    private static void csrOne4Wide(MemorySegment xt, int[] rowPtr, int[] cols, float[] values, int r, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), a2 = FloatVector.zero(S), a3 = FloatVector.zero(S);
        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {
            long o = cols[j] * tt;
            FloatVector w = FloatVector.broadcast(S, values[j]);
            a0 = w.fma(load(xt, o), a0);
            a1 = w.fma(load(xt, o + 1 * VB), a1);
            a2 = w.fma(load(xt, o + 2 * VB), a2);
            a3 = w.fma(load(xt, o + 3 * VB), a3);
        }
        a0.intoMemorySegment(acc, ao, BO);
        a1.intoMemorySegment(acc, ao + 1 * VB, BO);
        a2.intoMemorySegment(acc, ao + 2 * VB, BO);
        a3.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** Row r of CSR, 2 vector(s) of tokens, into the output tile at byte ao. */
    private static void csrOne2Wide(MemorySegment xt, int[] rowPtr, int[] cols, float[] values, int r, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {
            long o = cols[j] * tt;
            FloatVector w = FloatVector.broadcast(S, values[j]);
            a0 = w.fma(load(xt, o), a0);
            a1 = w.fma(load(xt, o + 1 * VB), a1);
        }
        a0.intoMemorySegment(acc, ao, BO);
        a1.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** Row r of CSR, 1 vector(s) of tokens, into the output tile at byte ao. */
    private static void csrOne1Wide(MemorySegment xt, int[] rowPtr, int[] cols, float[] values, int r, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a0 = FloatVector.zero(S);
        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {
            long o = cols[j] * tt;
            FloatVector w = FloatVector.broadcast(S, values[j]);
            a0 = w.fma(load(xt, o), a0);
        }
        a0.intoMemorySegment(acc, ao, BO);
    }

    /**
     * Rows [r0, r1) of CSR, 2 vector(s) of tokens, two rows in lockstep so that 4 FMA chains hide
     * the FMA latency; each row keeps its own order.
     */
    private static void csrPair2Wide(MemorySegment xt, int[] rowPtr, int[] cols, float[] values, int r0, int r1, MemorySegment acc) {
        final long tt = 2 * VB;
        int r = r0;
        for (; r + 1 < r1; r += 2) {
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S), b0 = FloatVector.zero(S), b1 = FloatVector.zero(S);
            int ja = rowPtr[r], ea = rowPtr[r + 1], jb = ea, eb = rowPtr[r + 2];
            for (int common = Math.min(ea - ja, eb - jb); common > 0; common--, ja++, jb++) {
                long oa = cols[ja] * tt, ob = cols[jb] * tt;
                FloatVector wa = FloatVector.broadcast(S, values[ja]), wb = FloatVector.broadcast(S, values[jb]);
                a0 = wa.fma(load(xt, oa), a0);
                b0 = wb.fma(load(xt, ob), b0);
                a1 = wa.fma(load(xt, oa + 1 * VB), a1);
                b1 = wb.fma(load(xt, ob + 1 * VB), b1);
            }
            for (; ja < ea; ja++) {
                long o = cols[ja] * tt;
                FloatVector w = FloatVector.broadcast(S, values[ja]);
                a0 = w.fma(load(xt, o), a0);
                a1 = w.fma(load(xt, o + 1 * VB), a1);
            }
            for (; jb < eb; jb++) {
                long o = cols[jb] * tt;
                FloatVector w = FloatVector.broadcast(S, values[jb]);
                b0 = w.fma(load(xt, o), b0);
                b1 = w.fma(load(xt, o + 1 * VB), b1);
            }
            long ao = (r - r0) * tt;
            a0.intoMemorySegment(acc, ao, BO);
            a1.intoMemorySegment(acc, ao + 1 * VB, BO);
            b0.intoMemorySegment(acc, ao + tt, BO);
            b1.intoMemorySegment(acc, ao + tt + 1 * VB, BO);
        }
        if (r < r1) csrOne2Wide(xt, rowPtr, cols, values, r, acc, (r - r0) * tt);
    }

    /**
     * Rows [r0, r1) of CSR, 1 vector(s) of tokens, two rows in lockstep so that 2 FMA chains hide
     * the FMA latency; each row keeps its own order.
     */
    private static void csrPair1Wide(MemorySegment xt, int[] rowPtr, int[] cols, float[] values, int r0, int r1, MemorySegment acc) {
        final long tt = 1 * VB;
        int r = r0;
        for (; r + 1 < r1; r += 2) {
            FloatVector a0 = FloatVector.zero(S), b0 = FloatVector.zero(S);
            int ja = rowPtr[r], ea = rowPtr[r + 1], jb = ea, eb = rowPtr[r + 2];
            for (int common = Math.min(ea - ja, eb - jb); common > 0; common--, ja++, jb++) {
                long oa = cols[ja] * tt, ob = cols[jb] * tt;
                FloatVector wa = FloatVector.broadcast(S, values[ja]), wb = FloatVector.broadcast(S, values[jb]);
                a0 = wa.fma(load(xt, oa), a0);
                b0 = wb.fma(load(xt, ob), b0);
            }
            for (; ja < ea; ja++) {
                long o = cols[ja] * tt;
                FloatVector w = FloatVector.broadcast(S, values[ja]);
                a0 = w.fma(load(xt, o), a0);
            }
            for (; jb < eb; jb++) {
                long o = cols[jb] * tt;
                FloatVector w = FloatVector.broadcast(S, values[jb]);
                b0 = w.fma(load(xt, o), b0);
            }
            long ao = (r - r0) * tt;
            a0.intoMemorySegment(acc, ao, BO);
            b0.intoMemorySegment(acc, ao + tt, BO);
        }
        if (r < r1) csrOne1Wide(xt, rowPtr, cols, values, r, acc, (r - r0) * tt);
    }

    /** 2 row(s) of N:M from row r in lockstep (all rows have the same slots), 4 vector(s) of tokens, a loop over the group's slots. */
    private static void nm2x4(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt) {
            for (int s = 0; s < nn; s++, j++) {
                {
                    long o = kb + positions[j] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j]);
                    a00 = w.fma(load(xt, o), a00);
                    a01 = w.fma(load(xt, o + 1 * VB), a01);
                    a02 = w.fma(load(xt, o + 2 * VB), a02);
                    a03 = w.fma(load(xt, o + 3 * VB), a03);
                }
                {
                    long o = kb + positions[j + 1 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 1 * slots]);
                    a10 = w.fma(load(xt, o), a10);
                    a11 = w.fma(load(xt, o + 1 * VB), a11);
                    a12 = w.fma(load(xt, o + 2 * VB), a12);
                    a13 = w.fma(load(xt, o + 3 * VB), a13);
                }
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
    }

    /** 2 row(s) of N:M from row r in lockstep (all rows have the same slots), 4 vector(s) of tokens, the group's 2 slots unrolled. */
    private static void nm2x4n2(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt, j += 2) {
            {
                long o = kb + positions[j] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j]);
                a00 = w.fma(load(xt, o), a00);
                a01 = w.fma(load(xt, o + 1 * VB), a01);
                a02 = w.fma(load(xt, o + 2 * VB), a02);
                a03 = w.fma(load(xt, o + 3 * VB), a03);
            }
            {
                long o = kb + positions[j + 1 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 * slots]);
                a10 = w.fma(load(xt, o), a10);
                a11 = w.fma(load(xt, o + 1 * VB), a11);
                a12 = w.fma(load(xt, o + 2 * VB), a12);
                a13 = w.fma(load(xt, o + 3 * VB), a13);
            }
            {
                long o = kb + positions[j + 1] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1]);
                a00 = w.fma(load(xt, o), a00);
                a01 = w.fma(load(xt, o + 1 * VB), a01);
                a02 = w.fma(load(xt, o + 2 * VB), a02);
                a03 = w.fma(load(xt, o + 3 * VB), a03);
            }
            {
                long o = kb + positions[j + 1 + 1 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 1 * slots]);
                a10 = w.fma(load(xt, o), a10);
                a11 = w.fma(load(xt, o + 1 * VB), a11);
                a12 = w.fma(load(xt, o + 2 * VB), a12);
                a13 = w.fma(load(xt, o + 3 * VB), a13);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
    }

    /** 4 row(s) of N:M from row r in lockstep (all rows have the same slots), 2 vector(s) of tokens, a loop over the group's slots. */
    private static void nm4x2(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt) {
            for (int s = 0; s < nn; s++, j++) {
                {
                    long o = kb + positions[j] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j]);
                    a00 = w.fma(load(xt, o), a00);
                    a01 = w.fma(load(xt, o + 1 * VB), a01);
                }
                {
                    long o = kb + positions[j + 1 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 1 * slots]);
                    a10 = w.fma(load(xt, o), a10);
                    a11 = w.fma(load(xt, o + 1 * VB), a11);
                }
                {
                    long o = kb + positions[j + 2 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 2 * slots]);
                    a20 = w.fma(load(xt, o), a20);
                    a21 = w.fma(load(xt, o + 1 * VB), a21);
                }
                {
                    long o = kb + positions[j + 3 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 3 * slots]);
                    a30 = w.fma(load(xt, o), a30);
                    a31 = w.fma(load(xt, o + 1 * VB), a31);
                }
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a21.intoMemorySegment(acc, ao + 2 * tt + 1 * VB, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
        a31.intoMemorySegment(acc, ao + 3 * tt + 1 * VB, BO);
    }

    /** 4 row(s) of N:M from row r in lockstep (all rows have the same slots), 2 vector(s) of tokens, the group's 2 slots unrolled. */
    private static void nm4x2n2(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt, j += 2) {
            {
                long o = kb + positions[j] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j]);
                a00 = w.fma(load(xt, o), a00);
                a01 = w.fma(load(xt, o + 1 * VB), a01);
            }
            {
                long o = kb + positions[j + 1 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 * slots]);
                a10 = w.fma(load(xt, o), a10);
                a11 = w.fma(load(xt, o + 1 * VB), a11);
            }
            {
                long o = kb + positions[j + 2 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 2 * slots]);
                a20 = w.fma(load(xt, o), a20);
                a21 = w.fma(load(xt, o + 1 * VB), a21);
            }
            {
                long o = kb + positions[j + 3 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 3 * slots]);
                a30 = w.fma(load(xt, o), a30);
                a31 = w.fma(load(xt, o + 1 * VB), a31);
            }
            {
                long o = kb + positions[j + 1] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1]);
                a00 = w.fma(load(xt, o), a00);
                a01 = w.fma(load(xt, o + 1 * VB), a01);
            }
            {
                long o = kb + positions[j + 1 + 1 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 1 * slots]);
                a10 = w.fma(load(xt, o), a10);
                a11 = w.fma(load(xt, o + 1 * VB), a11);
            }
            {
                long o = kb + positions[j + 1 + 2 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 2 * slots]);
                a20 = w.fma(load(xt, o), a20);
                a21 = w.fma(load(xt, o + 1 * VB), a21);
            }
            {
                long o = kb + positions[j + 1 + 3 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 3 * slots]);
                a30 = w.fma(load(xt, o), a30);
                a31 = w.fma(load(xt, o + 1 * VB), a31);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a21.intoMemorySegment(acc, ao + 2 * tt + 1 * VB, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
        a31.intoMemorySegment(acc, ao + 3 * tt + 1 * VB, BO);
    }

    /** 4 row(s) of N:M from row r in lockstep (all rows have the same slots), 1 vector(s) of tokens, a loop over the group's slots. */
    private static void nm4x1(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S), a20 = FloatVector.zero(S), a30 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt) {
            for (int s = 0; s < nn; s++, j++) {
                {
                    long o = kb + positions[j] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j]);
                    a00 = w.fma(load(xt, o), a00);
                }
                {
                    long o = kb + positions[j + 1 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 1 * slots]);
                    a10 = w.fma(load(xt, o), a10);
                }
                {
                    long o = kb + positions[j + 2 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 2 * slots]);
                    a20 = w.fma(load(xt, o), a20);
                }
                {
                    long o = kb + positions[j + 3 * slots] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j + 3 * slots]);
                    a30 = w.fma(load(xt, o), a30);
                }
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
    }

    /** 4 row(s) of N:M from row r in lockstep (all rows have the same slots), 1 vector(s) of tokens, the group's 2 slots unrolled. */
    private static void nm4x1n2(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S), a20 = FloatVector.zero(S), a30 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt, j += 2) {
            {
                long o = kb + positions[j] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j]);
                a00 = w.fma(load(xt, o), a00);
            }
            {
                long o = kb + positions[j + 1 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 * slots]);
                a10 = w.fma(load(xt, o), a10);
            }
            {
                long o = kb + positions[j + 2 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 2 * slots]);
                a20 = w.fma(load(xt, o), a20);
            }
            {
                long o = kb + positions[j + 3 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 3 * slots]);
                a30 = w.fma(load(xt, o), a30);
            }
            {
                long o = kb + positions[j + 1] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1]);
                a00 = w.fma(load(xt, o), a00);
            }
            {
                long o = kb + positions[j + 1 + 1 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 1 * slots]);
                a10 = w.fma(load(xt, o), a10);
            }
            {
                long o = kb + positions[j + 1 + 2 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 2 * slots]);
                a20 = w.fma(load(xt, o), a20);
            }
            {
                long o = kb + positions[j + 1 + 3 * slots] * tt;
                FloatVector w = FloatVector.broadcast(S, values[j + 1 + 3 * slots]);
                a30 = w.fma(load(xt, o), a30);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
    }

    /** 1 row(s) of N:M from row r in lockstep (all rows have the same slots), 4 vector(s) of tokens, a loop over the group's slots. */
    private static void nm1x4(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt) {
            for (int s = 0; s < nn; s++, j++) {
                {
                    long o = kb + positions[j] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j]);
                    a00 = w.fma(load(xt, o), a00);
                    a01 = w.fma(load(xt, o + 1 * VB), a01);
                    a02 = w.fma(load(xt, o + 2 * VB), a02);
                    a03 = w.fma(load(xt, o + 3 * VB), a03);
                }
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** 1 row(s) of N:M from row r in lockstep (all rows have the same slots), 2 vector(s) of tokens, a loop over the group's slots. */
    private static void nm1x2(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt) {
            for (int s = 0; s < nn; s++, j++) {
                {
                    long o = kb + positions[j] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j]);
                    a00 = w.fma(load(xt, o), a00);
                    a01 = w.fma(load(xt, o + 1 * VB), a01);
                }
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** 1 row(s) of N:M from row r in lockstep (all rows have the same slots), 1 vector(s) of tokens, a loop over the group's slots. */
    private static void nm1x1(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        final int slots = groups * nn;
        FloatVector a00 = FloatVector.zero(S);
        int j = r * slots;
        long kb = 0;
        for (int g = 0; g < groups; g++, kb += m * tt) {
            for (int s = 0; s < nn; s++, j++) {
                {
                    long o = kb + positions[j] * tt;
                    FloatVector w = FloatVector.broadcast(S, values[j]);
                    a00 = w.fma(load(xt, o), a00);
                }
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
    }

    /** Sub-rows q .. q+3 of block row b, 4 vector(s) of tokens, a loop over the block's columns: per column, 4 xt load(s) feed 16 FMA(s). */
    private static void blk4x4(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
                w = FloatVector.broadcast(S, values[wv + 2]);
                a20 = w.fma(x0, a20); a21 = w.fma(x1, a21); a22 = w.fma(x2, a22); a23 = w.fma(x3, a23);
                w = FloatVector.broadcast(S, values[wv + 3]);
                a30 = w.fma(x0, a30); a31 = w.fma(x1, a31); a32 = w.fma(x2, a32); a33 = w.fma(x3, a33);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a21.intoMemorySegment(acc, ao + 2 * tt + 1 * VB, BO);
        a22.intoMemorySegment(acc, ao + 2 * tt + 2 * VB, BO);
        a23.intoMemorySegment(acc, ao + 2 * tt + 3 * VB, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
        a31.intoMemorySegment(acc, ao + 3 * tt + 1 * VB, BO);
        a32.intoMemorySegment(acc, ao + 3 * tt + 2 * VB, BO);
        a33.intoMemorySegment(acc, ao + 3 * tt + 3 * VB, BO);
    }

    /** Sub-rows q .. q+3 of block row b, 2 vector(s) of tokens, a loop over the block's columns: per column, 2 xt load(s) feed 8 FMA(s). */
    private static void blk4x2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11);
                w = FloatVector.broadcast(S, values[wv + 2]);
                a20 = w.fma(x0, a20); a21 = w.fma(x1, a21);
                w = FloatVector.broadcast(S, values[wv + 3]);
                a30 = w.fma(x0, a30); a31 = w.fma(x1, a31);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a21.intoMemorySegment(acc, ao + 2 * tt + 1 * VB, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
        a31.intoMemorySegment(acc, ao + 3 * tt + 1 * VB, BO);
    }

    /** Sub-rows q .. q+3 of block row b, 1 vector(s) of tokens, a loop over the block's columns: per column, 1 xt load(s) feed 4 FMA(s). */
    private static void blk4x1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S), a20 = FloatVector.zero(S), a30 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10);
                w = FloatVector.broadcast(S, values[wv + 2]);
                a20 = w.fma(x0, a20);
                w = FloatVector.broadcast(S, values[wv + 3]);
                a30 = w.fma(x0, a30);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
    }

    /** Sub-rows q .. q+3 of block row b, 4 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 4 xt load(s) feed 16 FMA(s). */
    private static void blk4x4c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a22 = FloatVector.zero(S), a23 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S), a32 = FloatVector.zero(S), a33 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector x1 = load(xt, o + 1 * VB);
            FloatVector x2 = load(xt, o + 2 * VB);
            FloatVector x3 = load(xt, o + 3 * VB);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            w = FloatVector.broadcast(S, values[wv + 1]);
            a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
            w = FloatVector.broadcast(S, values[wv + 2]);
            a20 = w.fma(x0, a20); a21 = w.fma(x1, a21); a22 = w.fma(x2, a22); a23 = w.fma(x3, a23);
            w = FloatVector.broadcast(S, values[wv + 3]);
            a30 = w.fma(x0, a30); a31 = w.fma(x1, a31); a32 = w.fma(x2, a32); a33 = w.fma(x3, a33);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a21.intoMemorySegment(acc, ao + 2 * tt + 1 * VB, BO);
        a22.intoMemorySegment(acc, ao + 2 * tt + 2 * VB, BO);
        a23.intoMemorySegment(acc, ao + 2 * tt + 3 * VB, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
        a31.intoMemorySegment(acc, ao + 3 * tt + 1 * VB, BO);
        a32.intoMemorySegment(acc, ao + 3 * tt + 2 * VB, BO);
        a33.intoMemorySegment(acc, ao + 3 * tt + 3 * VB, BO);
    }

    /** Sub-rows q .. q+3 of block row b, 2 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 2 xt load(s) feed 8 FMA(s). */
    private static void blk4x2c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S), a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector x1 = load(xt, o + 1 * VB);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            w = FloatVector.broadcast(S, values[wv + 1]);
            a10 = w.fma(x0, a10); a11 = w.fma(x1, a11);
            w = FloatVector.broadcast(S, values[wv + 2]);
            a20 = w.fma(x0, a20); a21 = w.fma(x1, a21);
            w = FloatVector.broadcast(S, values[wv + 3]);
            a30 = w.fma(x0, a30); a31 = w.fma(x1, a31);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a21.intoMemorySegment(acc, ao + 2 * tt + 1 * VB, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
        a31.intoMemorySegment(acc, ao + 3 * tt + 1 * VB, BO);
    }

    /** Sub-rows q .. q+3 of block row b, 1 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 1 xt load(s) feed 4 FMA(s). */
    private static void blk4x1c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S), a20 = FloatVector.zero(S), a30 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00);
            w = FloatVector.broadcast(S, values[wv + 1]);
            a10 = w.fma(x0, a10);
            w = FloatVector.broadcast(S, values[wv + 2]);
            a20 = w.fma(x0, a20);
            w = FloatVector.broadcast(S, values[wv + 3]);
            a30 = w.fma(x0, a30);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a20.intoMemorySegment(acc, ao + 2 * tt, BO);
        a30.intoMemorySegment(acc, ao + 3 * tt, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 4 vector(s) of tokens, a loop over the block's columns: per column, 4 xt load(s) feed 8 FMA(s). */
    private static void blk2x4(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 2 vector(s) of tokens, a loop over the block's columns: per column, 2 xt load(s) feed 4 FMA(s). */
    private static void blk2x2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 1 vector(s) of tokens, a loop over the block's columns: per column, 1 xt load(s) feed 2 FMA(s). */
    private static void blk2x1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 4 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 4 xt load(s) feed 8 FMA(s). */
    private static void blk2x4c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector x1 = load(xt, o + 1 * VB);
            FloatVector x2 = load(xt, o + 2 * VB);
            FloatVector x3 = load(xt, o + 3 * VB);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            w = FloatVector.broadcast(S, values[wv + 1]);
            a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 2 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 2 xt load(s) feed 4 FMA(s). */
    private static void blk2x2c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector x1 = load(xt, o + 1 * VB);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            w = FloatVector.broadcast(S, values[wv + 1]);
            a10 = w.fma(x0, a10); a11 = w.fma(x1, a11);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 1 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 1 xt load(s) feed 2 FMA(s). */
    private static void blk2x1c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00);
            w = FloatVector.broadcast(S, values[wv + 1]);
            a10 = w.fma(x0, a10);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 4 vector(s) of tokens, the block's 2 column(s) unrolled: per column, 4 xt load(s) feed 8 FMA(s). */
    private static void blk2x4c2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S), a12 = FloatVector.zero(S), a13 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector x1 = load(xt, o + 1 * tt + 1 * VB);
                FloatVector x2 = load(xt, o + 1 * tt + 2 * VB);
                FloatVector x3 = load(xt, o + 1 * tt + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
                w = FloatVector.broadcast(S, values[wv + 1 * br + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11); a12 = w.fma(x2, a12); a13 = w.fma(x3, a13);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
        a12.intoMemorySegment(acc, ao + 1 * tt + 2 * VB, BO);
        a13.intoMemorySegment(acc, ao + 1 * tt + 3 * VB, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 2 vector(s) of tokens, the block's 2 column(s) unrolled: per column, 2 xt load(s) feed 4 FMA(s). */
    private static void blk2x2c2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S), a11 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector x1 = load(xt, o + 1 * tt + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
                w = FloatVector.broadcast(S, values[wv + 1 * br + 1]);
                a10 = w.fma(x0, a10); a11 = w.fma(x1, a11);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
        a11.intoMemorySegment(acc, ao + 1 * tt + 1 * VB, BO);
    }

    /** Sub-rows q .. q+1 of block row b, 1 vector(s) of tokens, the block's 2 column(s) unrolled: per column, 1 xt load(s) feed 2 FMA(s). */
    private static void blk2x1c2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S), a10 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00);
                w = FloatVector.broadcast(S, values[wv + 1]);
                a10 = w.fma(x0, a10);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00);
                w = FloatVector.broadcast(S, values[wv + 1 * br + 1]);
                a10 = w.fma(x0, a10);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a10.intoMemorySegment(acc, ao + 1 * tt, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 4 vector(s) of tokens, a loop over the block's columns: per column, 4 xt load(s) feed 4 FMA(s). */
    private static void blk1x4(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 2 vector(s) of tokens, a loop over the block's columns: per column, 2 xt load(s) feed 2 FMA(s). */
    private static void blk1x2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 1 vector(s) of tokens, a loop over the block's columns: per column, 1 xt load(s) feed 1 FMA(s). */
    private static void blk1x1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            for (int c = 0; c < bc; c++, o += tt, wv += br) {
                FloatVector x0 = load(xt, o);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 4 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 4 xt load(s) feed 4 FMA(s). */
    private static void blk1x4c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector x1 = load(xt, o + 1 * VB);
            FloatVector x2 = load(xt, o + 2 * VB);
            FloatVector x3 = load(xt, o + 3 * VB);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 2 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 2 xt load(s) feed 2 FMA(s). */
    private static void blk1x2c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector x1 = load(xt, o + 1 * VB);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 1 vector(s) of tokens, the block's 1 column(s) unrolled: per column, 1 xt load(s) feed 1 FMA(s). */
    private static void blk1x1c1(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            FloatVector x0 = load(xt, o);
            FloatVector w;
            w = FloatVector.broadcast(S, values[wv]);
            a00 = w.fma(x0, a00);
        }
        a00.intoMemorySegment(acc, ao, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 4 vector(s) of tokens, the block's 2 column(s) unrolled: per column, 4 xt load(s) feed 4 FMA(s). */
    private static void blk1x4c2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector x1 = load(xt, o + 1 * tt + 1 * VB);
                FloatVector x2 = load(xt, o + 1 * tt + 2 * VB);
                FloatVector x3 = load(xt, o + 1 * tt + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 2 vector(s) of tokens, the block's 2 column(s) unrolled: per column, 2 xt load(s) feed 2 FMA(s). */
    private static void blk1x2c2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector x1 = load(xt, o + 1 * tt + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 1 vector(s) of tokens, the block's 2 column(s) unrolled: per column, 1 xt load(s) feed 1 FMA(s). */
    private static void blk1x1c2(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 4 vector(s) of tokens, the block's 4 column(s) unrolled: per column, 4 xt load(s) feed 4 FMA(s). */
    private static void blk1x4c4(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 4 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a02 = FloatVector.zero(S), a03 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector x1 = load(xt, o + 1 * tt + 1 * VB);
                FloatVector x2 = load(xt, o + 1 * tt + 2 * VB);
                FloatVector x3 = load(xt, o + 1 * tt + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
            {
                FloatVector x0 = load(xt, o + 2 * tt);
                FloatVector x1 = load(xt, o + 2 * tt + 1 * VB);
                FloatVector x2 = load(xt, o + 2 * tt + 2 * VB);
                FloatVector x3 = load(xt, o + 2 * tt + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 2 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
            {
                FloatVector x0 = load(xt, o + 3 * tt);
                FloatVector x1 = load(xt, o + 3 * tt + 1 * VB);
                FloatVector x2 = load(xt, o + 3 * tt + 2 * VB);
                FloatVector x3 = load(xt, o + 3 * tt + 3 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 3 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01); a02 = w.fma(x2, a02); a03 = w.fma(x3, a03);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
        a02.intoMemorySegment(acc, ao + 2 * VB, BO);
        a03.intoMemorySegment(acc, ao + 3 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 2 vector(s) of tokens, the block's 4 column(s) unrolled: per column, 2 xt load(s) feed 2 FMA(s). */
    private static void blk1x2c4(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 2 * VB;
        FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector x1 = load(xt, o + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector x1 = load(xt, o + 1 * tt + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
            {
                FloatVector x0 = load(xt, o + 2 * tt);
                FloatVector x1 = load(xt, o + 2 * tt + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 2 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
            {
                FloatVector x0 = load(xt, o + 3 * tt);
                FloatVector x1 = load(xt, o + 3 * tt + 1 * VB);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 3 * br]);
                a00 = w.fma(x0, a00); a01 = w.fma(x1, a01);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
        a01.intoMemorySegment(acc, ao + 1 * VB, BO);
    }

    /** Sub-rows q .. q+0 of block row b, 1 vector(s) of tokens, the block's 4 column(s) unrolled: per column, 1 xt load(s) feed 1 FMA(s). */
    private static void blk1x1c4(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {
        final long tt = 1 * VB;
        FloatVector a00 = FloatVector.zero(S);
        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {
            long o = blockCols[i] * bc * tt;
            int wv = i * br * bc + q;
            {
                FloatVector x0 = load(xt, o);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv]);
                a00 = w.fma(x0, a00);
            }
            {
                FloatVector x0 = load(xt, o + 1 * tt);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 1 * br]);
                a00 = w.fma(x0, a00);
            }
            {
                FloatVector x0 = load(xt, o + 2 * tt);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 2 * br]);
                a00 = w.fma(x0, a00);
            }
            {
                FloatVector x0 = load(xt, o + 3 * tt);
                FloatVector w;
                w = FloatVector.broadcast(S, values[wv + 3 * br]);
                a00 = w.fma(x0, a00);
            }
        }
        a00.intoMemorySegment(acc, ao, BO);
    }

}
