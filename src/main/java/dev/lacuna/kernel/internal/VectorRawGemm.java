package dev.lacuna.kernel.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API GEMM on unpacked row-major operands with leading dimensions (strides), for the
 * small products of attention (scores = Q·Kᵀ, context = P·V per head): C[m, n] = alpha · A[m, k] ·
 * B[k, n] (+ C). Single-threaded; callers parallelise over heads.
 *
 * <p>Micro-kernels of 4 rows (or 1 for the row tail) x up to 4 vectors of B's row, the last vector
 * masked for the column tail; each step p broadcasts A[i][p] and FMAs it with B row p. Each element
 * is one FMA chain over p = 0..k-1 in order. Written out per shape (generated from one pattern; keep
 * them in step) so that C2 keeps every accumulator in a register.
 */
final class VectorRawGemm {
    private VectorRawGemm() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
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
    private static void put(FloatVector v, float[] c, int co, float alpha, boolean acc) {
        v = v.mul(alpha);
        if (acc) v = v.add(FloatVector.fromArray(S, c, co));
        v.intoArray(c, co);
    }

    /** Stores alpha·v (+ C) at c[co], lanes of m only. */
    private static void put(FloatVector v, float[] c, int co, float alpha, boolean acc, VectorMask<Float> m) {
        v = v.mul(alpha);
        if (acc) v = v.add(FloatVector.fromArray(S, c, co, m));
        v.intoArray(c, co, m);
    }

    /** 4 row(s) x 1 vector(s) of columns. */
    private static void k4x1(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
        }
        put(c00, c, co, alpha, acc);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c30, c, co + 3 * ldc, alpha, acc);
    }

    /** 4 row(s) x 1 vector(s) of columns, the last one masked by {@code last}. */
    private static void k4x1m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
        }
        put(c00, c, co, alpha, acc, last);
        put(c10, c, co + 1 * ldc, alpha, acc, last);
        put(c20, c, co + 2 * ldc, alpha, acc, last);
        put(c30, c, co + 3 * ldc, alpha, acc, last);
    }

    /** 4 row(s) x 2 vector(s) of columns. */
    private static void k4x2(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c11, c, co + 1 * ldc + 1 * L, alpha, acc);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c21, c, co + 2 * ldc + 1 * L, alpha, acc);
        put(c30, c, co + 3 * ldc, alpha, acc);
        put(c31, c, co + 3 * ldc + 1 * L, alpha, acc);
    }

    /** 4 row(s) x 2 vector(s) of columns, the last one masked by {@code last}. */
    private static void k4x2m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc, last);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c11, c, co + 1 * ldc + 1 * L, alpha, acc, last);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c21, c, co + 2 * ldc + 1 * L, alpha, acc, last);
        put(c30, c, co + 3 * ldc, alpha, acc);
        put(c31, c, co + 3 * ldc + 1 * L, alpha, acc, last);
    }

    /** 4 row(s) x 3 vector(s) of columns. */
    private static void k4x3(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c11, c, co + 1 * ldc + 1 * L, alpha, acc);
        put(c12, c, co + 1 * ldc + 2 * L, alpha, acc);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c21, c, co + 2 * ldc + 1 * L, alpha, acc);
        put(c22, c, co + 2 * ldc + 2 * L, alpha, acc);
        put(c30, c, co + 3 * ldc, alpha, acc);
        put(c31, c, co + 3 * ldc + 1 * L, alpha, acc);
        put(c32, c, co + 3 * ldc + 2 * L, alpha, acc);
    }

    /** 4 row(s) x 3 vector(s) of columns, the last one masked by {@code last}. */
    private static void k4x3m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc, last);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c11, c, co + 1 * ldc + 1 * L, alpha, acc);
        put(c12, c, co + 1 * ldc + 2 * L, alpha, acc, last);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c21, c, co + 2 * ldc + 1 * L, alpha, acc);
        put(c22, c, co + 2 * ldc + 2 * L, alpha, acc, last);
        put(c30, c, co + 3 * ldc, alpha, acc);
        put(c31, c, co + 3 * ldc + 1 * L, alpha, acc);
        put(c32, c, co + 3 * ldc + 2 * L, alpha, acc, last);
    }

    /** 4 row(s) x 4 vector(s) of columns. */
    private static void k4x4(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc);
        put(c03, c, co + 3 * L, alpha, acc);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c11, c, co + 1 * ldc + 1 * L, alpha, acc);
        put(c12, c, co + 1 * ldc + 2 * L, alpha, acc);
        put(c13, c, co + 1 * ldc + 3 * L, alpha, acc);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c21, c, co + 2 * ldc + 1 * L, alpha, acc);
        put(c22, c, co + 2 * ldc + 2 * L, alpha, acc);
        put(c23, c, co + 2 * ldc + 3 * L, alpha, acc);
        put(c30, c, co + 3 * ldc, alpha, acc);
        put(c31, c, co + 3 * ldc + 1 * L, alpha, acc);
        put(c32, c, co + 3 * ldc + 2 * L, alpha, acc);
        put(c33, c, co + 3 * ldc + 3 * L, alpha, acc);
    }

    /** 4 row(s) x 4 vector(s) of columns, the last one masked by {@code last}. */
    private static void k4x4m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        int a1 = ao + 1 * lda;
        int a2 = ao + 2 * lda;
        int a3 = ao + 3 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc);
        put(c03, c, co + 3 * L, alpha, acc, last);
        put(c10, c, co + 1 * ldc, alpha, acc);
        put(c11, c, co + 1 * ldc + 1 * L, alpha, acc);
        put(c12, c, co + 1 * ldc + 2 * L, alpha, acc);
        put(c13, c, co + 1 * ldc + 3 * L, alpha, acc, last);
        put(c20, c, co + 2 * ldc, alpha, acc);
        put(c21, c, co + 2 * ldc + 1 * L, alpha, acc);
        put(c22, c, co + 2 * ldc + 2 * L, alpha, acc);
        put(c23, c, co + 2 * ldc + 3 * L, alpha, acc, last);
        put(c30, c, co + 3 * ldc, alpha, acc);
        put(c31, c, co + 3 * ldc + 1 * L, alpha, acc);
        put(c32, c, co + 3 * ldc + 2 * L, alpha, acc);
        put(c33, c, co + 3 * ldc + 3 * L, alpha, acc, last);
    }

    /** 1 row(s) x 1 vector(s) of columns. */
    private static void k1x1(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
        }
        put(c00, c, co, alpha, acc);
    }

    /** 1 row(s) x 1 vector(s) of columns, the last one masked by {@code last}. */
    private static void k1x1m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
        }
        put(c00, c, co, alpha, acc, last);
    }

    /** 1 row(s) x 2 vector(s) of columns. */
    private static void k1x2(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
    }

    /** 1 row(s) x 2 vector(s) of columns, the last one masked by {@code last}. */
    private static void k1x2m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc, last);
    }

    /** 1 row(s) x 3 vector(s) of columns. */
    private static void k1x3(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc);
    }

    /** 1 row(s) x 3 vector(s) of columns, the last one masked by {@code last}. */
    private static void k1x3m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc, last);
    }

    /** 1 row(s) x 4 vector(s) of columns. */
    private static void k1x4(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc);
        put(c03, c, co + 3 * L, alpha, acc);
    }

    /** 1 row(s) x 4 vector(s) of columns, the last one masked by {@code last}. */
    private static void k1x4m(float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,
                             int k, float alpha, boolean acc, VectorMask<Float> last) {
        int a0 = ao;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        for (int p = 0; p < k; p++) {
            int bp = bo + p * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + 1 * L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L, last);
            FloatVector x;
            x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
        }
        put(c00, c, co, alpha, acc);
        put(c01, c, co + 1 * L, alpha, acc);
        put(c02, c, co + 2 * L, alpha, acc);
        put(c03, c, co + 3 * L, alpha, acc, last);
    }
}
