// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tensor;

import java.util.Arrays;

/**
 * A dense row-major float32 tensor: a shape and the values. No math lives here.
 *
 * @param shape dimensions, outermost first
 * @param data  values, {@code product(shape)} of them, row-major
 */
public record FloatTensor(int[] shape, float[] data) {
    public FloatTensor {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, got " + data.length);
        }
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return shape[i];
    }

    public long size() {
        return data.length;
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** A copy with the same values viewed under another shape of the same size. */
    public FloatTensor reshape(int... newShape) {
        return new FloatTensor(newShape.clone(), data);
    }

    /** Transpose of a rank-2 tensor: [r, c] to [c, r]. */
    public FloatTensor transpose2d() {
        if (rank() != 2) throw new IllegalArgumentException("transpose2d needs rank 2, got " + shapeString());
        int r = shape[0], c = shape[1];
        float[] t = new float[data.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) t[j * r + i] = data[i * c + j];
        }
        return new FloatTensor(new int[] {c, r}, t);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + shapeString();
    }
}
