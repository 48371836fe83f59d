// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.recovery.Dictionary;
import dev.lacuna.recovery.Fista;
import dev.lacuna.recovery.Iht;
import dev.lacuna.recovery.Omp;
import dev.lacuna.recovery.SoftThreshold;
import dev.lacuna.sae.ActivationRows;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.Sae;
import dev.lacuna.sae.SaeEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lacuna sae recode}: the amortization gap. The SAE's decoder W_dec^T [d_in, d_sae] is the dictionary;
 * each store row x − b_dec is encoded by a sparse solver at the SAE's own mean L0 and the FVE compared with the
 * SAE encoder's, with run times. FISTA (l1) gets its λ by bisection on the first rows to that L0.
 */
@Command(name = "recode", mixinStandardHelpOptions = true, description = "Encode an activation store with a sparse solver on the SAE's decoder at the SAE's L0; compare FVE with the SAE encoder.")
public final class SaeRecodeCommand implements Callable<Integer> {
    @Option(names = "--sae", required = true, paramLabel = "SAE", description = "SAE directory from 'lacuna sae train'")
    Path saeDir;

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "activation store of the same model and hook")
    Path store;

    @Option(names = "--solver", required = true, paramLabel = "omp|iht|fista", description = "sparse solver")
    String solver;

    @Option(names = "--rows", defaultValue = "1000", paramLabel = "N", description = "encode the first N store rows (default: ${DEFAULT-VALUE})")
    int rows;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        if (!solver.equals("omp") && !solver.equals("iht") && !solver.equals("fista")) {
            throw new LacunaException("unknown --solver '" + solver + "' (omp, iht, fista)");
        }
        RecoverOptions.positive("--rows", rows);
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(threads.get())) {
            Sae sae = Sae.load(saeDir);
            st.checkMatches("the SAE in " + saeDir, sae.config().modelName(), sae.config().hookName(), sae.config().dIn());
            int d = sae.config().dIn(), l = sae.config().dSae();
            int n = (int) Math.min(rows, st.tokens());
            float[] flat = new float[n * d];
            for (int r = 0; r < n; r++) st.row(r, flat, r * d);
            long t0 = System.nanoTime();
            SaeEvaluator.Reconstruction own = SaeEvaluator.reconstruction(par, sae, ActivationRows.of(flat, n, d), n, null);
            double saeMs = (System.nanoTime() - t0) / 1e6;
            int k = (int) Math.max(1, Math.min(Math.round(own.l0()), d));
            double[] dict = new double[d * l]; // [d_in, d_sae], column j = W_dec[j]
            for (int j = 0; j < l; j++) {
                float[] w = sae.decoderRow(j);
                for (int i = 0; i < d; i++) dict[i * l + j] = w[i];
            }
            Dictionary a = new Dictionary(d, l, dict);
            float[] bDec = sae.decoderBias();
            double[][] ys = new double[n][d];
            for (int r = 0; r < n; r++) for (int i = 0; i < d; i++) ys[r][i] = flat[r * d + i] - bDec[i];
            t0 = System.nanoTime();
            double[][] codes = switch (solver) {
                case "omp" -> Omp.solveBatch(a, ys, k);
                case "iht" -> {
                    double[][] c = new double[n][];
                    for (int r = 0; r < n; r++) c[r] = Iht.solve(a, ys[r], k, 100, 1e-6);
                    yield c;
                }
                default -> fista(a, ys, k);
            };
            double solverMs = (System.nanoTime() - t0) / 1e6;
            double err = 0, active = 0;
            double[] sum = new double[d], sumSq = new double[d];
            for (int r = 0; r < n; r++) {
                double[] xh = a.times(codes[r]);
                for (int i = 0; i < d; i++) {
                    double v = flat[r * d + i], e = xh[i] + bDec[i] - v;
                    err += e * e;
                    sum[i] += v;
                    sumSq[i] += v * v;
                }
                for (double c : codes[r]) if (c != 0) active++;
            }
            double var = 0;
            for (int i = 0; i < d; i++) var += sumSq[i] - sum[i] * sum[i] / n;
            System.out.println(String.format(Locale.ROOT,
                    "{\"rows\":%d,\"k\":%d,\"sae\":{\"fve\":%.5f,\"l0\":%.2f,\"ms\":%.1f},\"%s\":{\"fve\":%.5f,\"l0\":%.2f,\"ms\":%.1f}}",
                    n, k, own.fve(), own.l0(), saeMs, solver, 1 - err / var, active / n, solverMs));
        }
        return 0;
    }

    /** FISTA with l1 at the λ whose mean L0 on the first (up to 16) rows is closest to k, by bisection on log λ. */
    private static double[][] fista(Dictionary a, double[][] ys, int k) {
        int probe = Math.min(16, ys.length);
        double lo = 1e-6, hi = 0;
        for (int r = 0; r < probe; r++) for (double g : a.transposeTimes(ys[r])) hi = Math.max(hi, Math.abs(g));
        hi = Math.max(hi, 2 * lo);
        for (int it = 0; it < 12; it++) {
            double mid = Math.sqrt(lo * hi), l0 = 0;
            for (int r = 0; r < probe; r++) for (double c : Fista.solve(a, ys[r], new SoftThreshold(mid), 200, 1e-6)) if (c != 0) l0++;
            if (l0 / probe > k) lo = mid; else hi = mid;
        }
        double lambda = Math.sqrt(lo * hi);
        double[][] c = new double[ys.length][];
        for (int r = 0; r < ys.length; r++) c[r] = Fista.solve(a, ys[r], new SoftThreshold(lambda), 200, 1e-6);
        return c;
    }
}
