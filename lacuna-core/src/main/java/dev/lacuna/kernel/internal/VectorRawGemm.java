// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import static dev.lacuna.kernel.internal.VectorRawGemmKernels.*;

/**
 * The Vector API GEMM on unpacked row-major operands with leading dimensions (strides), for the
 * small products of attention (scores = Q·Kᵀ, context = P·V per head): C[m, n] = alpha · A[m, k] ·
 * B[k, n] (+ C). Single-threaded; callers parallelise over heads.
 *
 * <p>Micro-kernels of 4 rows (or 1 for the row tail) x up to 4 vectors of B's row, the last vector
 * masked for the column tail; each step p broadcasts A[i][p] and FMAs it with B row p. Each element
 * is one FMA chain over p = 0..k-1 in order. The micro-kernels are generated per shape into
 * {@link VectorRawGemmKernels} from one pattern, so that C2 keeps every accumulator in a register.
 */
final class VectorRawGemm {
    private VectorRawGemm() {}

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();

    /**
     * C = alpha · A · B (+ C).
     *
     * @param a [m, k] at a[aOff + i·lda + p]
     * @param b [k, n] at b[bOff + p·ldb + j]
     * @param c [m, n] at c[cOff + i·ldc + j]
     */
    static void gemm(float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                     int m, int n, int k, float alpha, boolean acc) {
        for (int j = 0; j < n; j += 4 * L) {
            int cols = Math.min(4 * L, n - j);
            int v = (cols + L - 1) / L;
            int bo = bOff + j;
            if (cols == v * L) {
                // Whole vectors: no masks in the inner loop (a masked load there costs ~20%).
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    int ao = aOff + i * lda, co = cOff + i * ldc + j;
                    switch (v) {
                        case 4 -> k4x4(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                        case 3 -> k4x3(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                        case 2 -> k4x2(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                        default -> k4x1(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                    }
                }
                for (; i < m; i++) {
                    int ao = aOff + i * lda, co = cOff + i * ldc + j;
                    switch (v) {
                        case 4 -> k1x4(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                        case 3 -> k1x3(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                        case 2 -> k1x2(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                        default -> k1x1(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc);
                    }
                }
            } else {
                VectorMask<Float> last = S.indexInRange((v - 1) * L, cols);
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    int ao = aOff + i * lda, co = cOff + i * ldc + j;
                    switch (v) {
                        case 4 -> k4x4m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                        case 3 -> k4x3m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                        case 2 -> k4x2m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                        default -> k4x1m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                    }
                }
                for (; i < m; i++) {
                    int ao = aOff + i * lda, co = cOff + i * ldc + j;
                    switch (v) {
                        case 4 -> k1x4m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                        case 3 -> k1x3m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                        case 2 -> k1x2m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                        default -> k1x1m(a, ao, lda, b, bo, ldb, c, co, ldc, k, alpha, acc, last);
                    }
                }
            }
        }
    }

    /** Stores alpha·v (+ C) at c[co], whole vector. */
    static void put(FloatVector v, float[] c, int co, float alpha, boolean acc) {
        v = v.mul(alpha);
        if (acc) v = v.add(FloatVector.fromArray(S, c, co));
        v.intoArray(c, co);
    }

    /** Stores alpha·v (+ C) at c[co], lanes of m only. */
    static void put(FloatVector v, float[] c, int co, float alpha, boolean acc, VectorMask<Float> m) {
        v = v.mul(alpha);
        if (acc) v = v.add(FloatVector.fromArray(S, c, co, m));
        v.intoArray(c, co, m);
    }
}
