// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread scratch for the tiled sparse kernels: the transposed token tile and the output tile,
 * off the heap and 64-byte aligned. Alignment is why they are not float[]: a Java array's data is
 * only 8-byte aligned (and moves with the GC), so most 512-bit loads from it split a cache line,
 * which costs the load-bound sparse loop about 30%. Workers of a {@link dev.lacuna.concurrent.Parallel}
 * team live as long as the team, so after the first call on a shape nothing is allocated; the
 * memory is freed with the thread. Contents are garbage between calls.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    private static final long ALIGN = 64;

    private MemorySegment tile = MemorySegment.NULL;
    private MemorySegment out = MemorySegment.NULL;

    static Scratch get() {
        return LOCAL.get();
    }

    /** At least {@code bytes} for the transposed input tile xt. */
    MemorySegment tile(long bytes) {
        if (tile.byteSize() < bytes) tile = Arena.ofAuto().allocate(bytes, ALIGN);
        return tile;
    }

    /** At least {@code bytes} for the output tile. */
    MemorySegment out(long bytes) {
        if (out.byteSize() < bytes) out = Arena.ofAuto().allocate(bytes, ALIGN);
        return out;
    }
}
