package dev.lacuna.kernel;

/**
 * A weight matrix W [n, k] (out, in; the PyTorch Linear layout), stored in whatever layout the GEMM
 * wants. Immutable once built by {@link Gemm#pack}.
 */
public final class PackedMatrix {
    final int n;        // output features
    final int k;        // input features
    final float[] data; // layout private to Gemm

    PackedMatrix(int n, int k, float[] data) {
        this.n = n;
        this.k = k;
        this.data = data;
    }

    public int rows() {
        return n;
    }

    public int cols() {
        return k;
    }
}
