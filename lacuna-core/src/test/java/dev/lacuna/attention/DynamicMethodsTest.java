// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@VectorPaths
class DynamicMethodsTest {
    private static void assertDense(AttentionKernel k, int n, boolean causal, String what) {
        Fixtures f = new Fixtures(n * 7L + 1, n, 3, 32, 1.7f);
        float[] dense = f.run(new FlashAttention(causal, 64), 1);
        double err = f.maxDiff(dense, f.run(k, 1), 1);
        assertTrue(err < 1e-5, what + " n " + n + ": error " + err);
    }

    @Test
    void fullBudgetsEqualDense() {
        for (int n : new int[] {1, 7, 100, 300}) {
            String s = Integer.toString(n);
            assertDense(MethodSpec.kernel("topk", Map.of("k", s)), n, false, "topk k=N");
            assertDense(MethodSpec.kernel("topk", Map.of("k", s, "causal", "true")), n, true, "causal topk k=N");
            assertDense(MethodSpec.kernel("topp", Map.of("p", "1")), n, false, "topp p=1");
            assertDense(MethodSpec.kernel("blasst", Map.of("threshold", "0")), n, false, "blasst threshold=0");
            assertDense(MethodSpec.kernel("block-topk", Map.of("mass", "1", "k", s)), n, false, "block-topk all blocks");
            assertDense(MethodSpec.kernel("block-topk", Map.of("k", s, "estimate", "mean", "causal", "true")), n, true, "causal block-topk");
            assertDense(MethodSpec.kernel("indexer", Map.of("k", s)), n, false, "indexer k=N");
            assertDense(MethodSpec.kernel("hisa", Map.of("k", s, "blocks", s)), n, false, "hisa all blocks, k=N");
            assertDense(MethodSpec.kernel("misa", Map.of("k", s)), n, false, "misa k=N");
            assertDense(MethodSpec.kernel("dhsa", Map.of("k", s)), n, false, "dhsa k=N");
            assertDense(MethodSpec.kernel("vertical-slash", Map.of("verticals", s)), n, false, "vertical-slash all columns");
        }
    }

    /** Top-k equals exact attention restricted, per query, to a brute-force top-k set. */
    @Test
    void topKKeepsExactlyTheBestKeys() {
        int n = 200, kk = 13;
        Fixtures f = new Fixtures(42, n, 2, 32, 2f);
        int h = 1;
        boolean[][] sel = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            double[] s = new double[n];
            for (int j = 0; j < n; j++) {
                for (int d = 0; d < 32; d++) s[j] += f.q[(f.start + i) * f.stride + h * 32 + d] * f.k[(f.start + j) * f.stride + h * 32 + d];
            }
            double[] sorted = s.clone();
            Arrays.sort(sorted);
            for (int j = 0; j < n; j++) sel[i][j] = s[j] >= sorted[n - kk];
        }
        AttentionMask m = (i, j, len) -> sel[i][j];
        double err = f.maxDiff(f.run(new DenseAttention(m, false), h), f.run(TopKAttention.topK(kk, false), h), h);
        assertTrue(err < 1e-5, "error " + err);
    }

    /** Top-p keeps, per query, the fewest keys whose softmax mass reaches p. */
    @Test
    void topPKeepsTheSmallestSetReachingP() {
        int n = 300;
        Fixtures f = new Fixtures(8, n, 1, 32, 2.5f);
        double p = 0.9;
        float[] exact = f.lse(new FlashAttention(), 0);
        TopKAttention tp = TopKAttention.topP(p, false);
        for (int i = 0; i < n; i += 37) {
            double[] w = new double[n];
            double z = 0;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int d = 0; d < 32; d++) s += f.q[(f.start + i) * 32 + d] * f.k[(f.start + j) * 32 + d];
                w[j] = Math.exp(s * f.scale - exact[i]);
                z += w[j];
            }
            double[] sorted = w.clone();
            Arrays.sort(sorted);
            int want = 0;
            double cum = 0;
            for (int x = n - 1; x >= 0 && cum < p * z; x--, want++) cum += sorted[x];
            float[] lse = new float[n];
            long kept = tp.attendRows(f.q, f.k, f.v, new float[f.q.length], 32, f.start, n, 0, 32, f.scale, new float[0], i, i + 1, lse);
            assertEquals(want, kept, "row " + i);
            assertTrue(Math.exp(lse[i] - exact[i]) >= p - 1e-4, "row " + i + " keeps mass " + Math.exp(lse[i] - exact[i]));
        }
    }

    /** BLASST's skipped weights are each below threshold x the row max, so recall >= 1 - N x threshold. */
    @Test
    void blasstSkipsOnlyNegligibleTilesAndDoesSkip() {
        int n = 1024;
        Fixtures f = new Fixtures(3, n, 1, 32, 3f);
        float[] exact = f.lse(new FlashAttention(), 0);
        double t = 1e-5;
        BlasstAttention b = new BlasstAttention(t, 0, 64);
        float[] lse = new float[n];
        long kept = b.attendRows(f.q, f.k, f.v, new float[f.q.length], 32, f.start, n, 0, 32, f.scale, new float[0], 0, n, lse);
        assertTrue(kept < (long) n * n * 0.9, "kept " + kept + " of " + (long) n * n);
        for (int i = 0; i < n; i++) {
            double recall = Math.exp(lse[i] - exact[i]);
            assertTrue(recall >= 1 - n * t - 1e-5 && recall <= 1 + 1e-5, "row " + i + " recall " + recall);
        }
    }

    @Test
    void everyMethodRunsWithDefaults() {
        int n = 300;
        Fixtures f = new Fixtures(5, n, 12, 32, 1.5f);
        float[] exact = f.lse(new FlashAttention(), 4);
        for (String m : MethodSpec.METHODS) {
            Map<String, String> p = m.equals("block") ? Map.of("grid", "11000;11100;01110;00111;00011") : Map.of();
            AttentionKernel k = MethodSpec.kernel(m, p);
            assertEquals(m, k.name());
            float[] out = f.run(k, 4);
            float[] lse = f.lse(k, 4);
            for (int t = 0; t < n; t++) {
                for (int d = 0; d < 32; d++) assertTrue(Float.isFinite(out[(f.start + t) * f.stride + 4 * 32 + d]), m + " row " + t);
                assertTrue(lse[t] <= exact[t] + 1e-4, m + " row " + t + " keeps more mass than exists");
            }
        }
    }

    @Test
    void indexerProjectionAtFullRankPreservesScores() {
        Fixtures f = new Fixtures(12, 64, 1, 32, 1f);
        IndexerProjection p = IndexerProjection.fit(f.q, f.k, 32, f.start, 64, 0, 32, 32, 64);
        float[] ql = new float[32], kl = new float[32], kl2 = new float[32];
        for (int i = 0; i < 5; i++) {
            p.project(f.q, (f.start + i) * 32, false, ql, 0, 1f);
            p.project(f.k, (f.start + i + 1) * 32, true, kl, 0, 1f);
            p.project(f.k, (f.start + i + 2) * 32, true, kl2, 0, 1f);
            double approx = 0, exact = 0;
            for (int c = 0; c < 32; c++) approx += ql[c] * (kl[c] - kl2[c]);
            for (int c = 0; c < 32; c++) exact += f.q[(f.start + i) * 32 + c] * (f.k[(f.start + i + 1) * 32 + c] - f.k[(f.start + i + 2) * 32 + c]);
            assertEquals(exact, approx, 1e-3 * Math.max(1, Math.abs(exact)));
        }
    }
}
