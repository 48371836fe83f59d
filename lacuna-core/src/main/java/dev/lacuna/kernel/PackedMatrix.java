// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

/**
 * A weight matrix W [n, k] (out, in; the PyTorch Linear layout), stored in whatever layout the GEMM
 * wants. Immutable once built by {@link Gemm#pack}, except through {@link Gemm#repack}, which a
 * training loop uses on the copy it owns.
 */
public final class PackedMatrix {
    final int n;        // output features
    final int k;        // input features
    final int nr;       // panel width of the layout
    final float[] data; // layout private to Gemm: dev.lacuna.kernel.internal.PanelLayout with width nr

    PackedMatrix(int n, int k, int nr, float[] data) {
        this.n = n;
        this.k = k;
        this.nr = nr;
        this.data = data;
    }

    public int rows() {
        return n;
    }

    public int cols() {
        return k;
    }
}
