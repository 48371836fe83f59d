// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.lacuna.kernel.internal.VectorInt8GemmKernels.*;

/**
 * The Vector API W8A32 GEMM over Q packed by {@link Int8Panels} in panels of NR = NV·L int8 columns
 * (L = float lanes of {@link Species}; NV = 4 vectors with 32 vector registers, 2 with 16), the
 * dense {@code VectorGemm}'s loop nest and probed tile (MR rows) with a quarter of the weight bytes.
 * Per step p the micro-kernel loads the panel's NR int8 weights as NV byte vectors of L lanes,
 * widens each to fp32 in registers (B2F: sign-extend and convert, vpmovsxbd + vcvtdq2ps on x86) and
 * feeds them to MR x NV FMAs; the integer-valued products x·q accumulate unscaled, and the
 * per-channel scale is applied once at the store with the bias (one fma). The widening costs NV
 * extra vector operations per MR·NV FMAs: it pays where the weights' memory traffic dominates (few
 * tokens) and costs a little where the FMAs do (many tokens).
 *
 * <p>Tiles of (row block of about MC rows) x (one panel) go to the threads via {@link GemmTiles};
 * every element is one chain over all of K inside one tile, so results do not depend on the team.
 */
final class VectorInt8Gemm implements Int8Gemm {
    static final VectorInt8Gemm INSTANCE = new VectorInt8Gemm();

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();
    /**
     * Bytes loaded per widened vector: L lanes where a byte vector of L lanes exists (64 bits and up),
     * else 8 (128-bit floats, L = 4: the extra bytes are the next weights or {@link Int8Panels#PAD}).
     */
    static final VectorSpecies<Byte> B = Species.BYTE_PER_LANE;
    /** Vectors per panel: the dense GEMM's probed tile ({@link GemmTile}), so both use one panel width. */
    static final int NV = VectorGemm.NV;
    /** Panel width. */
    static final int NR = NV * L;
    /** Rows per micro-kernel: the dense GEMM's probed tile too (not probed again with the widening). */
    static final int MR = VectorGemm.MR;

    static {
        if (B.length() - L > Int8Panels.PAD) throw new IllegalStateException("int8 panels pad " + Int8Panels.PAD + " bytes, kernels read " + (B.length() - L) + " past a panel");
    }

    private VectorInt8Gemm() {}

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public int panelWidth() {
        return NR;
    }

    /** Rows per tile: the x block [MC, K] is sized to stay in L2 with the panel (as the dense GEMM). */
    static int rowBlock(int k) {
        int rows = (64 * 1024) / Math.max(1, k);
        return Math.max(MR, Math.min(256, rows / MR * MR));
    }

    @Override
    public void gemm(Parallel par, float[] x, int m, int k, byte[] w, int nr, int n, float[] scale, float[] bias, float[] y, boolean gelu) {
        GemmTiles.run(par, m, MR, PanelLayout.panels(n, NR), rowBlock(k), (r0, r1, q) -> tile(x, k, w, n, scale, bias, y, gelu, r0, r1, q));
    }

    /** Rows [r0, r1) x panel q: raw sums, then acc·scale + bias and GELU on the rows just stored (still in L1). */
    static void tile(float[] x, int k, byte[] w, int n, float[] scale, float[] bias, float[] y, boolean gelu, int r0, int r1, int q) {
        int j = q * NR;
        int wo = q * k * NR;
        int cols = Math.min(NR, n - j);
        float[] t = cols < NR ? new float[MR * NR] : null; // a panel past N: each row group through scratch
        for (int i = r0; i < r1; i += MR) {
            int rows = Math.min(MR, r1 - i);
            if (t == null) {
                micro(rows, x, i * k, k, w, wo, y, i * n + j, n);
            } else {
                micro(rows, x, i * k, k, w, wo, t, 0, NR);
                for (int r = 0; r < rows; r++) System.arraycopy(t, r * NR, y, (i + r) * n + j, cols);
            }
            for (int r = i; r < i + rows; r++) {
                finish(y, r * n + j, j, cols, scale, bias);
                if (gelu) VectorKernels.geluRange(y, r * n + j, r * n + j + cols);
            }
        }
    }

    /** {@code rows} rows of x at xo times the int8 panel at wo: raw sums into y (row stride ldy). */
    private static void micro(int rows, float[] x, int xo, int k, byte[] w, int wo, float[] y, int yo, int ldy) {
        if (NV == 4) {
            switch (rows) {
                case 6 -> k6v4(x, xo, k, w, wo, y, yo, ldy);
                case 5 -> k5v4(x, xo, k, w, wo, y, yo, ldy);
                case 4 -> k4v4(x, xo, k, w, wo, y, yo, ldy);
                case 3 -> k3v4(x, xo, k, w, wo, y, yo, ldy);
                case 2 -> k2v4(x, xo, k, w, wo, y, yo, ldy);
                default -> k1v4(x, xo, k, w, wo, y, yo, ldy);
            }
        } else {
            switch (rows) {
                case 6 -> k6v2(x, xo, k, w, wo, y, yo, ldy);
                case 5 -> k5v2(x, xo, k, w, wo, y, yo, ldy);
                case 4 -> k4v2(x, xo, k, w, wo, y, yo, ldy);
                case 3 -> k3v2(x, xo, k, w, wo, y, yo, ldy);
                case 2 -> k2v2(x, xo, k, w, wo, y, yo, ldy);
                default -> k1v2(x, xo, k, w, wo, y, yo, ldy);
            }
        }
    }

    /** y[o, o + cols) = acc·scale + bias (one fma; acc·scale without bias) over columns j.. of one row. */
    static void finish(float[] y, int o, int j, int cols, float[] scale, float[] bias) {
        int c = 0;
        for (; c + L <= cols; c += L) {
            FloatVector acc = FloatVector.fromArray(S, y, o + c), s = FloatVector.fromArray(S, scale, j + c);
            (bias == null ? acc.mul(s) : acc.fma(s, FloatVector.fromArray(S, bias, j + c))).intoArray(y, o + c);
        }
        if (c < cols) {
            VectorMask<Float> mk = S.indexInRange(c, cols);
            FloatVector acc = FloatVector.fromArray(S, y, o + c, mk), s = FloatVector.fromArray(S, scale, j + c, mk);
            (bias == null ? acc.mul(s) : acc.fma(s, FloatVector.fromArray(S, bias, j + c, mk))).intoArray(y, o + c, mk);
        }
    }

    /** L int8 weights at w[off] (and up to B.length() - L after them, ignored) as floats. */
    static FloatVector widen(byte[] w, int off) {
        return (FloatVector) ByteVector.fromArray(B, w, off).convertShape(VectorOperators.B2F, S, 0);
    }
}
