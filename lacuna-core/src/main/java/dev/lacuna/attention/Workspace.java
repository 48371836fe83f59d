// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * The per-thread arena of the attention kernels: the tile engine and growable buffers that dynamic
 * methods use for scores and selected indices. Buffers only grow, so a thread that has run a
 * sequence of N tokens allocates nothing for later sequences of up to N tokens.
 *
 * <p>Not re-entrant: a kernel must not call another kernel while it holds its workspace.
 */
final class Workspace {
    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    final FlashEngine engine = new FlashEngine();
    final QueryLanes lanes = new QueryLanes();
    final KeyRanges ranges = new KeyRanges();
    private final float[][] floats = new float[12][0];
    private final int[][] ints = new int[12][0];

    static Workspace get() {
        return LOCAL.get();
    }

    /** Float buffer number {@code slot} of at least {@code size} elements (contents undefined). */
    float[] floats(int slot, int size) {
        if (floats[slot].length < size) floats[slot] = new float[grow(size)];
        return floats[slot];
    }

    /** Int buffer number {@code slot} of at least {@code size} elements (contents undefined). */
    int[] ints(int slot, int size) {
        if (ints[slot].length < size) ints[slot] = new int[grow(size)];
        return ints[slot];
    }

    private static int grow(int size) {
        return (int) Math.min(Integer.MAX_VALUE - 16, size + (size >> 3) + 16L);
    }
}
