// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A {@link SparseVector} as stored-field bytes: nnz (int), then ids (int) and weights (float), little-endian. */
final class SparseCodec {
    private SparseCodec() {}

    static byte[] encode(SparseVector v) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * v.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(v.size());
        for (int id : v.ids()) b.putInt(id);
        for (float w : v.weights()) b.putFloat(w);
        return b.array();
    }

    static SparseVector decode(byte[] bytes, int offset, int length) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getInt();
        int[] ids = new int[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) ids[i] = b.getInt();
        for (int i = 0; i < n; i++) w[i] = b.getFloat();
        return new SparseVector(ids, w);
    }
}
