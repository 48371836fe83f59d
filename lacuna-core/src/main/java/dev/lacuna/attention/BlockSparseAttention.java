// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;

/**
 * Attention restricted to a static mask: per query tile, the mask's key ranges are computed
 * as flash tiles; key tiles the mask leaves empty are skipped, partial tiles are masked per
 * query and key, and isolated columns (vertical stripes) are gathered into packed tiles.
 */
public final class BlockSparseAttention extends AbstractKernel {
    private final String name;
    private final AttentionMask mask;
    private final boolean causal;
    private final int tile;

    /**
     * @param name   the method name reported by {@link #name()}
     * @param mask   which keys each query may attend
     * @param causal also keep only keys j <= i
     * @param tile   query and key tile size, a multiple of 32
     */
    public BlockSparseAttention(String name, AttentionMask mask, boolean causal, int tile) {
        if (tile < 32 || tile % 32 != 0 || tile > 1024) {
            throw new IllegalArgumentException("tile must be a multiple of 32 in [32, 1024], got " + tile);
        }
        this.name = name;
        this.mask = mask;
        this.causal = causal;
        this.tile = tile;
    }

    public BlockSparseAttention(String name, AttentionMask mask) {
        this(name, mask, false, FlashAttention.TILE);
    }

    public AttentionMask mask() {
        return mask;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long attendRows(float[] q, float[] k, float[] v, float[] out, int stride, int start, int length, int col,
                           int headDim, float scale, float[] scratch, int rowFrom, int rowTo, float[] lse) {
        AttentionMask mk = mask.forHead(col / headDim, stride / headDim);
        if (length > mk.maxLength()) {
            throw new LacunaException(name + ": a sequence of " + length + " tokens is longer than the pattern's "
                    + mk.maxLength());
        }
        Workspace ws = Workspace.get();
        FlashEngine e = ws.engine;
        KeyRanges kr = ws.ranges;
        e.begin(q, k, v, out, stride, start, length, col, headDim, scale, tile, tile);
        for (int i0 = rowFrom; i0 < rowTo; i0 += tile) {
            int rows = Math.min(tile, rowTo - i0);
            kr.clear();
            mk.ranges(i0, i0 + rows, length, tile, kr);
            kr.normalize();
            e.beginTile(i0, rows);
            e.keys(kr, mk, causal);
            e.endTile(lse);
        }
        return e.kept();
    }
}
