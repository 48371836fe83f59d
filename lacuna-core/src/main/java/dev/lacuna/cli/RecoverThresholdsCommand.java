// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.io.Progress;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.recovery.Cel0Threshold;
import dev.lacuna.recovery.Dictionary;
import dev.lacuna.recovery.Fista;
import dev.lacuna.recovery.HardThreshold;
import dev.lacuna.recovery.LqThreshold;
import dev.lacuna.recovery.Problems;
import dev.lacuna.recovery.Prox;
import dev.lacuna.recovery.SoftThreshold;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lacuna recover thresholds}: reconstruction error ||y − A x||² / ||y||² against mean L0 for FISTA with
 * soft (l1), hard (l0), lq (q = 1/2) and CEL0 proxes on one fixed dictionary ("Beyond l1 sparse coding in V1").
 * Each prox sweeps its λ so that its zeroing threshold at unit step runs over the same ladder τ.
 */
@Command(name = "thresholds", mixinStandardHelpOptions = true, description = "Reconstruction error vs L0 for soft, hard, lq and CEL0 thresholding on a fixed dictionary.")
public final class RecoverThresholdsCommand implements Callable<Integer> {
    @Mixin
    RecoverOptions opts;

    @Override
    public Integer call() throws IOException {
        opts.refuseExisting();
        int m = 64, n = 128, k = 8, signals = opts.quick ? 8 : 24, iters = opts.quick ? 200 : 500;
        double[] taus = opts.quick ? new double[] {0.6, 0.4, 0.25, 0.15, 0.08, 0.04} : new double[] {0.8, 0.6, 0.45, 0.35, 0.25, 0.18, 0.12, 0.08, 0.05, 0.03};
        String[] kinds = {"soft", "hard", "lq0.5", "cel0"};
        Dictionary a = Problems.gaussian(m, n, opts.seed);
        double[][] ys = new double[signals][];
        for (int i = 0; i < signals; i++) {
            long s = opts.seed * 1_000_003L + i;
            ys[i] = Problems.measure(a, Problems.planted(n, Problems.randomSupport(n, k, s), s + 1), 20, s + 2).y();
        }
        StringBuilder csv = new StringBuilder("prox,tau,lambda,l0,reconstruction_error\n");
        double[][] l0 = new double[kinds.length][taus.length], err = new double[kinds.length][taus.length];
        Progress prog = Progress.of("recover thresholds", (long) kinds.length * taus.length, 0);
        for (int p = 0; p < kinds.length; p++) {
            for (int ti = 0; ti < taus.length; ti++) {
                double tau = taus[ti];
                Prox prox = switch (kinds[p]) {
                    case "soft" -> new SoftThreshold(tau);
                    case "hard" -> new HardThreshold(tau * tau / 2);
                    case "lq0.5" -> new LqThreshold(Math.pow(tau / 1.5, 1.5), 0.5);
                    default -> new Cel0Threshold(tau * tau / 2);
                };
                double sumL0 = 0, sumErr = 0;
                for (double[] y : ys) {
                    double[] x = Fista.solve(a, y, prox, iters, 1e-8);
                    double[] ax = a.times(x);
                    double e = 0, yy = 0;
                    for (int i = 0; i < m; i++) { e += (y[i] - ax[i]) * (y[i] - ax[i]); yy += y[i] * y[i]; }
                    int nz = 0;
                    for (double v : x) if (v != 0) nz++;
                    sumL0 += nz;
                    sumErr += e / yy;
                }
                l0[p][ti] = sumL0 / signals;
                err[p][ti] = sumErr / signals;
                csv.append(String.format(Locale.ROOT, "%s,%.4g,%.6g,%.3f,%.6g%n", kinds[p], tau, lambdaOf(prox), l0[p][ti], err[p][ti]));
                prog.advance(1);
            }
        }
        prog.close();
        Chart chart = new Chart(String.format(Locale.ROOT, "Thresholding operators, A %dx%d, k=%d, SNR 20 dB, %d signals", m, n, k, signals), "mean L0", "log10 relative reconstruction error");
        for (int p = 0; p < kinds.length; p++) {
            double[] ly = new double[taus.length];
            for (int j = 0; j < taus.length; j++) ly[j] = Math.log10(Math.max(err[p][j], 1e-12));
            chart.add(new Series(kinds[p], l0[p], ly, true));
        }
        opts.write("thresholds", csv.toString(), chart);
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"points\":%d}", opts.out, kinds.length * taus.length));
        return 0;
    }

    private static double lambdaOf(Prox p) {
        return switch (p) {
            case SoftThreshold s -> s.lambda();
            case HardThreshold h -> h.lambda();
            case LqThreshold q -> q.lambda();
            case Cel0Threshold c -> c.lambda();
            default -> Double.NaN;
        };
    }
}
