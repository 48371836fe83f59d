// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.concurrent.Parallel;

/**
 * The algorithmic reference for the sparse products: plain loops over tokens, rows and stored
 * values, one {@link Math#fma} chain per output in increasing column order, then + bias. Threads
 * split the tokens, which does not change any output.
 */
final class ScalarSparseProducts implements SparseProducts {
    static final ScalarSparseProducts INSTANCE = new ScalarSparseProducts();

    private ScalarSparseProducts() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void csrInt8(Parallel par, float[] x, int tokens, int k, int n, int[] rowPtr, char[] cols, int[] wide, byte[] values, float[] scale, float[] bias, float[] y) {
        par.forRange(tokens, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int xo = t * k;
                for (int r = 0; r < n; r++) {
                    float acc = 0f;
                    for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
                        int col = cols != null ? cols[j] : wide[j];
                        acc = Math.fma(values[j] * scale[r], x[xo + col], acc);
                    }
                    y[t * n + r] = bias == null ? acc : acc + bias[r];
                }
            }
        });
    }

    @Override
    public void csr(Parallel par, float[] x, int tokens, int k, int n, int[] rowPtr, char[] cols, int[] wide, float[] values, float[] bias, float[] y) {
        par.forRange(tokens, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int xo = t * k;
                for (int r = 0; r < n; r++) {
                    float acc = 0f;
                    for (int j = rowPtr[r]; j < rowPtr[r + 1]; j++) {
                        int col = cols != null ? cols[j] : wide[j];
                        acc = Math.fma(values[j], x[xo + col], acc);
                    }
                    y[t * n + r] = bias == null ? acc : acc + bias[r];
                }
            }
        });
    }

    @Override
    public void nOfM(Parallel par, float[] x, int tokens, int k, int n, int nn, int m, float[] values, byte[] positions, float[] bias, float[] y) {
        int groups = (k + m - 1) / m;
        par.forRange(tokens, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int xo = t * k;
                for (int r = 0; r < n; r++) {
                    float acc = 0f;
                    int j = r * groups * nn;
                    for (int g = 0; g < groups; g++) {
                        for (int s = 0; s < nn; s++, j++) {
                            int col = g * m + positions[j];
                            acc = Math.fma(values[j], col < k ? x[xo + col] : 0f, acc); // columns ≥ K: zero padding, as in the tiled kernels
                        }
                    }
                    y[t * n + r] = bias == null ? acc : acc + bias[r];
                }
            }
        });
    }

    @Override
    public void block(Parallel par, float[] x, int tokens, int k, int n, int br, int bc, int[] blockPtr, int[] blockCols, float[] values, float[] bias, float[] y) {
        par.forRange(tokens, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int xo = t * k;
                for (int r = 0; r < n; r++) {
                    int b = r / br, q = r % br;
                    float acc = 0f;
                    for (int i = blockPtr[b]; i < blockPtr[b + 1]; i++) {
                        for (int c = 0; c < bc; c++) {
                            int col = blockCols[i] * bc + c;
                            acc = Math.fma(values[(i * bc + c) * br + q], col < k ? x[xo + col] : 0f, acc);
                        }
                    }
                    y[t * n + r] = bias == null ? acc : acc + bias[r];
                }
            }
        });
    }
}
