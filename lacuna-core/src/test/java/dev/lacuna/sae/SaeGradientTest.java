// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written backward passes against central finite differences, and the selection budgets. */
class SaeGradientTest {
    static final int D = 7, L = 12, B = 6;

    static SaeConfig config(String arch, int k) {
        SaeConfig c = SaeConfig.defaults(arch, D, L, k, "layer.0.resid_post", "test");
        return new SaeConfig(arch, D, L, c.k(), c.hookName(), c.modelName(), 0.3, 0.2, 0.4, 0, 4, 0, 1000);
    }

    static SaeParams randomParams(long seed, String arch) {
        Random r = new Random(seed);
        SaeParams p = new SaeParams(D, L);
        for (int i = 0; i < p.wEnc.length; i++) p.wEnc[i] = (float) r.nextGaussian() * 0.5f;
        for (int i = 0; i < p.wDec.length; i++) p.wDec[i] = (float) r.nextGaussian() * 0.5f;
        for (int j = 0; j < L; j++) p.bEnc[j] = (float) r.nextGaussian() * 0.1f;
        for (int i = 0; i < D; i++) p.bDec[i] = (float) r.nextGaussian() * 0.1f;
        for (int j = 0; j < L; j++) p.logThreshold[j] = (float) Math.log(0.3 + 0.2 * r.nextDouble());
        return p;
    }

    static float[] randomX(long seed, int rows) {
        Random r = new Random(seed);
        float[] x = new float[rows * D];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    static double loss(SaeArchitecture a, SaeParams p, float[] x) {
        p.changed();
        return a.forwardBackward(Parallel.serial(), p, x, B, null, null, new SaeArchitecture.Work()).total();
    }

    static Set<Long> selection(SaeArchitecture a, SaeParams p, float[] x) {
        p.changed();
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        a.forwardBackward(Parallel.serial(), p, x, B, null, null, w);
        Set<Long> s = new HashSet<>();
        Codes c = w.codes;
        for (int b = 0; b < B; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) if (c.val[q] > 0) s.add((long) b * L + c.idx[q]);
        return s;
    }

    /** Central differences on every entry of W_enc, b_enc, W_dec, b_dec; relative error within 2e-2 of the larger magnitude. */
    static void checkAgainstFiniteDifferences(String arch, long seed) {
        SaeArchitecture a = SaeArchitecture.of(config(arch, 3));
        SaeParams p = randomParams(seed, arch);
        float[] x = randomX(seed + 1, B);
        SaeParams g = new SaeParams(D, L);
        p.changed();
        a.forwardBackward(Parallel.serial(), p, x, B, g, null, new SaeArchitecture.Work());
        Set<Long> base = selection(a, p, x);
        assertTrue(!base.isEmpty(), arch + ": nothing active, the test would not test");
        String[] names = {"W_enc", "b_enc", "W_dec", "b_dec"};
        float[][] params = {p.wEnc, p.bEnc, p.wDec, p.bDec};
        float[][] grads = {g.wEnc, g.bEnc, g.wDec, g.bDec};
        float h = 2e-3f;
        int checked = 0;
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                float old = params[t][i];
                params[t][i] = old + h;
                double up = loss(a, p, x);
                Set<Long> su = selection(a, p, x);
                params[t][i] = old - h;
                double down = loss(a, p, x);
                Set<Long> sd = selection(a, p, x);
                params[t][i] = old;
                if (!su.equals(base) || !sd.equals(base)) continue; // the loss is not differentiable across a selection change
                double fd = (up - down) / (2 * h);
                double an = grads[t][i];
                double tol = 2e-2 * Math.max(Math.abs(fd), Math.abs(an)) + 2e-3;
                assertEquals(fd, an, tol, arch + " d/d" + names[t] + "[" + i + "]");
                checked++;
            }
        }
        int total = p.wEnc.length + p.bEnc.length + p.wDec.length + p.bDec.length;
        assertTrue(checked > 0.9 * total, arch + ": only " + checked + " of " + total + " entries had a stable selection");
    }

    @ParameterizedTest
    @ValueSource(strings = {"topk", "batchtopk", "relu", "jumprelu", "mutualchoice", "featurechoice"})
    void gradientsMatchFiniteDifferences(String arch) {
        checkAgainstFiniteDifferences(arch, 11);
        checkAgainstFiniteDifferences(arch, 23);
    }

    /** The JumpReLU threshold gradient is the paper's pseudo-derivative (Eq. 11-12), recomputed here in double. */
    @Test
    void jumpReluThresholdPseudoDerivative() {
        SaeConfig cfg = config("jumprelu", 0);
        SaeArchitecture a = SaeArchitecture.of(cfg);
        SaeParams p = randomParams(5, "jumprelu");
        float[] x = randomX(6, B);
        SaeParams g = new SaeParams(D, L);
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        a.forwardBackward(Parallel.serial(), p, x, B, g, null, w);
        double eps = cfg.jumpReluBandwidth(), lam = cfg.l0Coefficient();
        double[][] pre = new double[B][L];
        double[][] z = new double[B][L];
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < L; j++) {
                double s = p.bEnc[j];
                for (int i = 0; i < D; i++) s += (x[b * D + i] - p.bDec[i]) * (double) p.wEnc[j * D + i];
                pre[b][j] = s;
                z[b][j] = s > Math.exp(p.logThreshold[j]) ? s : 0;
            }
        }
        int inWindow = 0;
        for (int j = 0; j < L; j++) {
            double theta = Math.exp(p.logThreshold[j]), gt = 0;
            for (int b = 0; b < B; b++) {
                if (Math.abs(pre[b][j] - theta) >= eps / 2) continue;
                inWindow++;
                double dz = 0;
                for (int i = 0; i < D; i++) {
                    double xh = p.bDec[i];
                    for (int jj = 0; jj < L; jj++) xh += z[b][jj] * p.wDec[jj * D + i];
                    dz += 2.0 / B * (xh - x[b * D + i]) * p.wDec[j * D + i];
                }
                gt += dz * (-theta / eps) - lam / (B * eps);
            }
            assertEquals(gt * theta, g.logThreshold[j], 1e-3 * Math.max(1, Math.abs(gt * theta)), "d/dlog θ[" + j + "]");
        }
        assertTrue(inWindow > 3, "too few pre-activations near θ to test the pseudo-derivative: " + inWindow);
    }

    /** aux_k: the extra gradient equals finite differences of the auxiliary loss with the main residual held fixed. */
    @Test
    void auxKGradientMatchesFiniteDifferences() {
        SaeConfig base = config("topk", 2);
        SaeConfig cfg = base.withAux(0.5, 0);
        SaeArchitecture with = SaeArchitecture.of(cfg), without = SaeArchitecture.of(base);
        SaeParams p = randomParams(31, "topk");
        float[] x = randomX(32, B);
        boolean[] dead = new boolean[L];
        for (int j = 0; j < L; j += 2) dead[j] = true;
        SaeParams g1 = new SaeParams(D, L), g0 = new SaeParams(D, L);
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        p.changed();
        with.forwardBackward(Parallel.serial(), p, x, B, g1, dead, w);
        float[] err = Arrays.copyOf(w.err, B * D);
        without.forwardBackward(Parallel.serial(), p, x, B, g0, dead, new SaeArchitecture.Work());
        float[][] params = {p.wEnc, p.bEnc, p.wDec};
        float[][] d1 = {g1.wEnc, g1.bEnc, g1.wDec}, d0 = {g0.wEnc, g0.bEnc, g0.wDec};
        double h = 1e-3;
        int nonzero = 0;
        for (int t = 0; t < params.length; t++) {
            for (int i = 0; i < params[t].length; i++) {
                float old = params[t][i];
                params[t][i] = (float) (old + h);
                double up = auxLoss(p, x, err, dead, cfg.auxK(), 0.5);
                params[t][i] = (float) (old - h);
                double down = auxLoss(p, x, err, dead, cfg.auxK(), 0.5);
                params[t][i] = old;
                double fd = (up - down) / (2 * h), an = d1[t][i] - d0[t][i];
                if (Math.abs(fd) > 1e-4) nonzero++;
                assertEquals(fd, an, 2e-2 * Math.max(Math.abs(fd), Math.abs(an)) + 1e-3, "aux d/dparam " + t + "[" + i + "]");
            }
        }
        assertTrue(nonzero > 10, "aux loss gradient is almost everywhere zero: " + nonzero);
    }

    /** Scalar reference of aux_k: top-k_aux dead latents by pre reconstruct the fixed residual −e. */
    static double auxLoss(SaeParams p, float[] x, float[] err, boolean[] dead, int ka, double alpha) {
        double sum = 0;
        for (int b = 0; b < B; b++) {
            double[] pre = new double[L];
            Integer[] order = new Integer[L];
            for (int j = 0; j < L; j++) {
                double s = p.bEnc[j];
                for (int i = 0; i < D; i++) s += (x[b * D + i] - p.bDec[i]) * (double) p.wEnc[j * D + i];
                pre[j] = s;
                order[j] = j;
            }
            Arrays.sort(order, (u, v) -> Double.compare(pre[v], pre[u]));
            double[] r = new double[D];
            for (int i = 0; i < D; i++) r[i] = err[b * D + i];
            int taken = 0;
            for (int j : order) {
                if (!dead[j] || taken == ka) continue;
                taken++;
                double zz = Math.max(0, pre[j]);
                for (int i = 0; i < D; i++) r[i] += zz * p.wDec[j * D + i];
            }
            for (double v : r) sum += v * v;
        }
        return alpha * sum / B;
    }

    @Test
    void topKKeepsExactlyKPerToken() {
        SaeArchitecture a = SaeArchitecture.of(config("topk", 5));
        SaeParams p = randomParams(3, "topk");
        int rows = 40;
        float[] x = new float[rows * D];
        Random r = new Random(4);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        a.reconstruct(Parallel.serial(), p, x, rows, w);
        for (int b = 0; b < rows; b++) {
            assertEquals(5, w.codes.len[b], "row " + b);
            // the selected are the 5 largest pre-activations
            float[] row = Arrays.copyOfRange(w.pre, b * L, (b + 1) * L);
            float[] sorted = row.clone();
            Arrays.sort(sorted);
            for (int q = w.codes.start[b]; q < w.codes.start[b] + 5; q++) assertTrue(row[w.codes.idx[q]] >= sorted[L - 5], "row " + b + " selected a non-top latent");
        }
    }

    @Test
    void mutualChoiceAndBatchTopKSpendExactlyTheBatchBudget() {
        for (String arch : new String[] {"mutualchoice", "batchtopk"}) {
            SaeArchitecture a = SaeArchitecture.of(config(arch, 3));
            SaeParams p = randomParams(8, arch);
            float[] x = randomX(9, B);
            SaeArchitecture.Work w = new SaeArchitecture.Work();
            a.forwardBackward(Parallel.serial(), p, x, B, null, null, w);
            assertEquals((long) B * 3, w.codes.nnz(), arch);
            int[] perRow = Arrays.copyOf(w.codes.len, B);
            assertTrue(Arrays.stream(perRow).max().getAsInt() != Arrays.stream(perRow).min().getAsInt(), arch + ": allocation should vary by token");
            // every selected value is >= every unselected positive value
            float minSel = Float.MAX_VALUE;
            Set<Long> sel = new HashSet<>();
            for (int b = 0; b < B; b++) for (int q = w.codes.start[b]; q < w.codes.start[b] + w.codes.len[b]; q++) {
                minSel = Math.min(minSel, w.codes.val[q]);
                sel.add((long) b * L + w.codes.idx[q]);
            }
            for (int i = 0; i < B * L; i++) if (!sel.contains((long) i)) assertTrue(w.pre[i] <= minSel, arch + ": unselected " + w.pre[i] + " > selected " + minSel);
        }
    }

    @Test
    void featureChoiceRespectsPerLatentCapacity() {
        SaeConfig cfg = config("featurechoice", 4);
        FeatureChoiceSae a = (FeatureChoiceSae) SaeArchitecture.of(cfg);
        int rows = 30;
        SaeParams p = randomParams(12, "featurechoice");
        float[] x = new float[rows * D];
        Random r = new Random(13);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        p.changed();
        a.forwardBackward(Parallel.serial(), p, x, rows, null, null, w);
        int m = a.capacity(rows, L);
        assertEquals(10, m);
        int[] perLatent = new int[L];
        for (int b = 0; b < rows; b++) for (int q = w.codes.start[b]; q < w.codes.start[b] + w.codes.len[b]; q++) perLatent[w.codes.idx[q]]++;
        int full = 0;
        for (int j = 0; j < L; j++) {
            assertTrue(perLatent[j] <= m, "latent " + j + " took " + perLatent[j] + " > " + m);
            if (perLatent[j] == m) full++;
        }
        assertTrue(full > L / 2, "most latents should use their capacity: " + full);
    }

    @Test
    void kLargerThanLatentsIsAClearError() {
        LacunaException e = assertThrows(LacunaException.class, () -> SaeConfig.defaults("topk", 8, 16, 17, "layer.0.resid_post", "m"));
        assertTrue(e.getMessage().contains("k = 17 is larger than the latent count d_sae = 16"), e.getMessage());
    }
}
