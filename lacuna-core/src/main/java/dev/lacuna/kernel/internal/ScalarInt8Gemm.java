// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.concurrent.Parallel;

/** The plain-loop reference of {@link Int8Gemm}: one fma chain per output, as the vector kernels compute it. */
final class ScalarInt8Gemm implements Int8Gemm {
    static final ScalarInt8Gemm INSTANCE = new ScalarInt8Gemm();

    /** Panel width packed for this implementation (any width works for it). */
    private static final int NR = 64;
    /** Rows per tile. */
    private static final int MC = 16;

    private ScalarInt8Gemm() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int panelWidth() {
        return NR;
    }

    @Override
    public void gemm(Parallel par, float[] x, int m, int k, byte[] w, int nr, int n, float[] scale, float[] bias, float[] y, boolean gelu) {
        GemmTiles.run(par, m, 1, PanelLayout.panels(n, nr), MC, (r0, r1, q) -> {
            int j0 = q * nr, j1 = Math.min(n, j0 + nr);
            int wo = q * k * nr;
            for (int i = r0; i < r1; i++) {
                int xo = i * k;
                for (int j = j0; j < j1; j++) {
                    int wj = wo + (j - j0);
                    float acc = 0f;
                    for (int p = 0; p < k; p++) acc = Math.fma(x[xo + p], (float) w[wj + p * nr], acc);
                    float v = bias == null ? acc * scale[j] : Math.fma(acc, scale[j], bias[j]);
                    y[i * n + j] = gelu ? ScalarKernels.gelu(v) : v;
                }
            }
        });
    }
}
