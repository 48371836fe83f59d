// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.sparse.MaskSelection;
import dev.lacuna.sparse.SparsityPattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** SparseGPT on a synthetic layer W [16, 32] with correlated inputs, against a plain transcription of the reference. */
class SparseGptPrunerTest {
    static final int N = 16, K = 32, T = 300;
    private static Parallel par;
    private static float[] w;
    private static InputStats stats;

    @BeforeAll
    static void setUp() {
        par = new Parallel(2);
        Random r = new Random(42);
        w = new float[N * K];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        // x = A z + outliers: correlated inputs with a few large columns, as in transformers
        double[] a = new double[K * K];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian() / Math.sqrt(K);
        float[] x = new float[T * K];
        for (int t = 0; t < T; t++) {
            double[] z = new double[K];
            for (int j = 0; j < K; j++) z[j] = r.nextGaussian();
            for (int i = 0; i < K; i++) {
                double s = 0;
                for (int j = 0; j < K; j++) s += a[i * K + j] * z[j];
                x[t * K + i] = (float) (s * (i % 7 == 0 ? 8 : 1) + 0.3);
            }
        }
        stats = new InputStats(K, true);
        stats.add(par, x, 150, 3);
        stats.add(par, java.util.Arrays.copyOfRange(x, 150 * K, T * K), 150, 3);
        stats.finish();
    }

    @AfterAll
    static void tearDown() {
        par.close();
    }

    private static LayerTask task(double s, SparsityPattern p) {
        return new LayerTask("test.layer", w, N, K, stats, s, p, 7);
    }

    @Test
    void zeroSparsityReturnsTheWeightsUnchanged() {
        PrunedLayer pl = new SparseGptPruner(0.01, 8).prune(par, task(0, SparsityPattern.UNSTRUCTURED));
        assertArrayEquals(w, pl.weight());
        assertEquals(0, pl.mask().prunedCount());
    }

    @Test
    void exactSparsityAndZerosWherePruned() {
        for (double s : new double[] {0.3, 0.5, 0.77}) {
            PrunedLayer pl = new SparseGptPruner(0.01, 8).prune(par, task(s, SparsityPattern.UNSTRUCTURED));
            assertEquals(Math.round(s * N * K), pl.mask().prunedCount(), "sparsity " + s);
            for (int i = 0; i < w.length; i++) {
                if (!pl.mask().isKept(i)) assertEquals(0f, pl.weight()[i]);
            }
        }
    }

    @Test
    void patternsAreHonoured() {
        PrunedLayer nm = new SparseGptPruner(0.01, 8).prune(par, task(0.5, new SparsityPattern.NofM(2, 4)));
        assertTrue(nm.mask().isNofM(2, 4));
        assertEquals(N * K / 2, nm.mask().prunedCount());
        PrunedLayer nm8 = new SparseGptPruner(0.01, 16).prune(par, task(0.5, new SparsityPattern.NofM(4, 8)));
        assertTrue(nm8.mask().isNofM(4, 8));
        PrunedLayer blocks = new SparseGptPruner(0.01, 8).prune(par, task(0.5, new SparsityPattern.Block(2, 4)));
        assertEquals(N * K / 2, blocks.mask().prunedCount());
        for (int r = 0; r < N; r += 2) {
            for (int c = 0; c < K; c += 4) {
                boolean k0 = blocks.mask().isKept(r, c);
                for (int i = 0; i < 2; i++) for (int j = 0; j < 4; j++) assertEquals(k0, blocks.mask().isKept(r + i, c + j));
            }
        }
        LacunaException e = assertThrows(LacunaException.class,
                () -> new SparseGptPruner(0.01, 6).prune(par, task(0.5, new SparsityPattern.NofM(2, 4))));
        assertTrue(e.getMessage().contains("block_size 6 must be a multiple of M = 4"), e.getMessage());
    }

    @Test
    void reconstructsBetterThanMaskingAlone() {
        for (SparsityPattern p : new SparsityPattern[] {SparsityPattern.UNSTRUCTURED, new SparsityPattern.NofM(2, 4)}) {
            LayerTask t = task(0.5, p);
            double eSg = stats.relativeError(par, w, new SparseGptPruner(0.01, 8).prune(par, t).weight(), N);
            PrunedLayer mag = new MagnitudePruner().prune(par, t);
            double eMag = stats.relativeError(par, w, mag.weight(), N);
            double eWanda = stats.relativeError(par, w, new WandaPruner().prune(par, t).weight(), N);
            double eMagRecon = stats.relativeError(par, w, new SparseGptPruner(0.01, 8).reconstruct(par, t, mag.mask()).weight(), N);
            assertTrue(eSg < eWanda && eSg < eMag, p.spelling() + ": sparsegpt " + eSg + ", wanda " + eWanda + ", magnitude " + eMag);
            assertTrue(eMagRecon < eMag, p.spelling() + ": magnitude mask with OBS update " + eMagRecon + " vs without " + eMag);
        }
    }

    /**
     * The reference algorithm written plainly: explicit inverse, Cholesky of it, eager updates of every
     * later column; only the lazy batching and the inverse factor differ from the pruner.
     */
    @Test
    void matchesAPlainTranscriptionOfTheReference() {
        int bs = 8;
        double s = 0.5;
        double[] h = stats.gram().clone();
        double mean = 0;
        for (int j = 0; j < K; j++) mean += h[j * K + j] * 2.0 / stats.tokens();
        for (int i = 0; i < h.length; i++) h[i] *= 2.0 / stats.tokens();
        for (int j = 0; j < K; j++) h[j * K + j] += 0.01 * mean / K;
        double[] inv = invert(h, K);
        double[] u = inv.clone();
        Cholesky.factorLower(Parallel.serial(), u, K);
        double[] ut = new double[K * K];
        for (int i = 0; i < K; i++) for (int j = 0; j < K; j++) ut[i * K + j] = u[j * K + i];
        double[] wd = new double[N * K];
        for (int i = 0; i < wd.length; i++) wd[i] = w[i];
        boolean[] kept = new boolean[N * K];
        for (int c0 = 0; c0 < K; c0 += bs) {
            double[] sc = new double[N * bs];
            for (int r = 0; r < N; r++) {
                for (int c = 0; c < bs; c++) {
                    double d = ut[(c0 + c) * K + c0 + c];
                    sc[r * bs + c] = wd[r * K + c0 + c] * wd[r * K + c0 + c] / (d * d);
                }
            }
            boolean[] bk = new boolean[N * bs];
            MaskSelection.pruneLowest(sc, Math.round(s * N * (c0 + bs)) - Math.round(s * N * c0), bk);
            for (int r = 0; r < N; r++) System.arraycopy(bk, r * bs, kept, r * K + c0, bs);
            for (int c = c0; c < c0 + bs; c++) {
                for (int r = 0; r < N; r++) {
                    double q = kept[r * K + c] ? wd[r * K + c] : 0;
                    double err = (wd[r * K + c] - q) / ut[c * K + c];
                    wd[r * K + c] = q;
                    for (int j = c + 1; j < K; j++) wd[r * K + j] -= err * ut[c * K + j];
                }
            }
        }
        PrunedLayer pl = new SparseGptPruner(0.01, bs).prune(par, task(s, SparsityPattern.UNSTRUCTURED));
        for (int i = 0; i < wd.length; i++) {
            assertEquals(kept[i], pl.mask().isKept(i), "mask at " + i);
            assertEquals(wd[i], pl.weight()[i], 1e-4 * (1 + Math.abs(wd[i])), "weight at " + i);
        }
    }

    /** Gauss-Jordan inverse with partial pivoting. */
    private static double[] invert(double[] a0, int n) {
        double[] a = a0.clone(), b = new double[n * n];
        for (int i = 0; i < n; i++) b[i * n + i] = 1;
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[p * n + c])) p = r;
            for (int j = 0; j < n; j++) {
                double t = a[c * n + j]; a[c * n + j] = a[p * n + j]; a[p * n + j] = t;
                t = b[c * n + j]; b[c * n + j] = b[p * n + j]; b[p * n + j] = t;
            }
            double d = a[c * n + c];
            for (int j = 0; j < n; j++) {
                a[c * n + j] /= d;
                b[c * n + j] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r == c) continue;
                double f = a[r * n + c];
                for (int j = 0; j < n; j++) {
                    a[r * n + j] -= f * a[c * n + j];
                    b[r * n + j] -= f * b[c * n + j];
                }
            }
        }
        return b;
    }

    @Test
    void dsnotKeepsCountsAndPatterns() {
        for (SparsityPattern p : new SparsityPattern[] {SparsityPattern.UNSTRUCTURED, new SparsityPattern.NofM(2, 4)}) {
            LayerTask t = task(0.5, p);
            Mask m0 = new WandaPruner().prune(par, t).mask();
            Mask m1 = new DsnotRefiner(50, 0).refine(par, w, N, K, m0, stats, p);
            assertNotEquals(m0, m1, p.spelling() + ": nothing swapped");
            for (int r = 0; r < N; r++) assertEquals(m0.keptInRow(r), m1.keptInRow(r));
            if (p instanceof SparsityPattern.NofM) assertTrue(m1.isNofM(2, 4));
        }
        assertThrows(LacunaException.class, () -> new DsnotRefiner(5, 0).refine(par, w, N, K, Mask.dense(N, K), stats, new SparsityPattern.Block(2, 2)));
    }
}
