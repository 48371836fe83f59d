// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.io.Progress;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.recovery.Dictionary;
import dev.lacuna.recovery.KroneckerSbl;
import dev.lacuna.recovery.Omp;
import dev.lacuna.recovery.Problems;
import dev.lacuna.recovery.Sbl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lacuna recover kronecker}: NMSE and run time against SNR (and against the measurements m1 = m2) for SBL,
 * KSBL-AM, KSBL-SVD and OMP on y = (A1 ⊗ A2) x + noise with a Kronecker support S1 × S2 (He and Joseph 2023).
 */
@Command(name = "kronecker", mixinStandardHelpOptions = true, description = "NMSE vs SNR and vs measurements for SBL, KSBL-AM, KSBL-SVD, OMP on a Kronecker-structured problem.")
public final class RecoverKroneckerCommand implements Callable<Integer> {
    @Mixin
    RecoverOptions opts;

    @Option(names = "--trials", defaultValue = "3", paramLabel = "T", description = "problems per point (default: ${DEFAULT-VALUE})")
    int trials;

    private static final String[] SOLVERS = {"sbl", "ksbl-am", "ksbl-svd", "omp"};

    @Override
    public Integer call() throws IOException {
        RecoverOptions.positive("--trials", trials);
        opts.refuseExisting();
        int n1 = opts.quick ? 10 : 12, n2 = n1, s1 = 2, s2 = 2, iters = opts.quick ? 100 : 200;
        int mDefault = opts.quick ? 5 : 6;
        double[] snrs = opts.quick ? new double[] {5, 15, 25} : new double[] {0, 10, 20, 30};
        int[] ms = opts.quick ? new int[] {4, 5, 6} : new int[] {4, 5, 6, 7};
        StringBuilder csv = new StringBuilder("sweep,snr_db,m1,m2,n1,n2,solver,nmse,ms,iterations\n");
        double[][] bySnr = new double[SOLVERS.length][snrs.length], byM = new double[SOLVERS.length][ms.length];
        Progress prog = Progress.of("recover kronecker", (long) (snrs.length + ms.length) * trials, 0);
        for (int p = 0; p < snrs.length + ms.length; p++) {
            boolean snrSweep = p < snrs.length;
            double snr = snrSweep ? snrs[p] : 20;
            int m = snrSweep ? mDefault : ms[p - snrs.length];
            for (int t = 0; t < trials; t++) {
                long seed = opts.seed * 1_000_003L + p * 101L + t;
                Dictionary a1 = Problems.gaussian(m, n1, seed), a2 = Problems.gaussian(m, n2, seed + 1);
                Dictionary a = Dictionary.kronecker(a1, a2);
                int[] r1 = Problems.randomSupport(n1, s1, seed + 2), r2 = Problems.randomSupport(n2, s2, seed + 3);
                double[] vals = Problems.planted(n1 * n2, Problems.randomSupport(n1 * n2, n1 * n2, seed + 4), seed + 5);
                double[] x = new double[n1 * n2];
                for (int i : r1) for (int j : r2) x[i * n2 + j] = vals[i * n2 + j];
                Problems.Measurement meas = Problems.measure(a, x, snr, seed + 6);
                for (int si = 0; si < SOLVERS.length; si++) {
                    long t0 = System.nanoTime();
                    double[] est;
                    int its = 0;
                    switch (SOLVERS[si]) {
                        case "sbl" -> { var r = Sbl.solve(a, meas.y(), meas.noiseVariance(), iters, 1e-6); est = r.mean(); its = r.iterations(); }
                        case "ksbl-am" -> { var r = KroneckerSbl.solve(a1, a2, meas.y(), meas.noiseVariance(), KroneckerSbl.Update.ALTERNATING, iters, 1e-6); est = r.mean(); its = r.iterations(); }
                        case "ksbl-svd" -> { var r = KroneckerSbl.solve(a1, a2, meas.y(), meas.noiseVariance(), KroneckerSbl.Update.SVD, iters, 1e-6); est = r.mean(); its = r.iterations(); }
                        default -> est = Omp.solve(a, meas.y(), s1 * s2);
                    }
                    double ms1 = (System.nanoTime() - t0) / 1e6;
                    double e = Problems.nmse(est, x);
                    if (snrSweep) bySnr[si][p] += e / trials; else byM[si][p - snrs.length] += e / trials;
                    csv.append(String.format(Locale.ROOT, "%s,%.0f,%d,%d,%d,%d,%s,%.6g,%.3f,%d%n", snrSweep ? "snr" : "measurements", snr, m, m, n1, n2, SOLVERS[si], e, ms1, its));
                }
                prog.advance(1);
            }
        }
        prog.close();
        Chart chart = new Chart(String.format(Locale.ROOT, "Kronecker recovery, n = %dx%d, support %dx%d, m = %dx%d", n1, n2, s1, s2, mDefault, mDefault),
                "SNR (dB)", "log10 NMSE");
        for (int si = 0; si < SOLVERS.length; si++) {
            double[] ly = new double[snrs.length];
            for (int j = 0; j < snrs.length; j++) ly[j] = Math.log10(Math.max(bySnr[si][j], 1e-12));
            chart.add(new Series(SOLVERS[si], snrs, ly, true));
        }
        opts.write("kronecker", csv.toString(), chart);
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"points\":%d}", opts.out, SOLVERS.length * (snrs.length + ms.length)));
        return 0;
    }
}
