// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.io.Progress;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.recovery.Dictionary;
import dev.lacuna.recovery.Iht;
import dev.lacuna.recovery.LassoCd;
import dev.lacuna.recovery.Omp;
import dev.lacuna.recovery.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lacuna recover regression}: relative prediction error ||X(ŵ − w*)||² / ||X w*||² against the number of
 * samples N, for designs X [N, d] of condition number 1 and up to 1e6, supports drawn at random or aligned with
 * X's least observed direction, solved by Lasso, OMP and IHT ("Sparse Linear Regression is Easy on Random Supports").
 */
@Command(name = "regression", mixinStandardHelpOptions = true, description = "Prediction error vs N on well- and ill-conditioned designs, random vs adversarial supports (Lasso, OMP, IHT).")
public final class RecoverRegressionCommand implements Callable<Integer> {
    @Mixin
    RecoverOptions opts;

    @Option(names = "--trials", defaultValue = "3", paramLabel = "T", description = "problems per point (default: ${DEFAULT-VALUE})")
    int trials;

    @Override
    public Integer call() throws IOException {
        RecoverOptions.positive("--trials", trials);
        opts.refuseExisting();
        int d = opts.quick ? 100 : 200, k = 5;
        int[] ns = opts.quick ? new int[] {20, 40, 80} : new int[] {20, 30, 40, 60, 80, 120};
        double[] conds = {1, 1e3, 1e6};
        String[] supports = {"random", "adversarial"}, solvers = {"lasso", "omp", "iht"};
        double snrDb = 20;
        StringBuilder csv = new StringBuilder("condition,support,n,d,k,solver,prediction_error,nmse\n");
        List<double[]> curves = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Progress prog = Progress.of("recover regression", (long) conds.length * supports.length * ns.length, 0);
        for (double cond : conds) for (String sup : supports) {
            double[][] err = new double[solvers.length][ns.length];
            for (int ni = 0; ni < ns.length; ni++) {
                int n = ns[ni];
                for (int t = 0; t < trials; t++) {
                    long seed = opts.seed * 1_000_003L + ni * 101L + t;
                    Problems.Conditioned c = Problems.conditioned(n, d, cond, seed);
                    Dictionary x = c.dictionary();
                    int[] s = sup.equals("random") ? Problems.randomSupport(d, k, seed + 7) : Problems.adversarialSupport(c.weakDirection(), k);
                    double[] w = Problems.planted(d, s, seed + 11);
                    Problems.Measurement m = Problems.measure(x, w, snrDb, seed + 13);
                    double lambda = Math.sqrt(m.noiseVariance()) * Math.sqrt(2 * Math.log(d));
                    for (int si = 0; si < solvers.length; si++) {
                        double[] est = switch (solvers[si]) {
                            case "lasso" -> LassoCd.solve(x, m.y(), lambda, 2000, 1e-8);
                            case "omp" -> Omp.solve(x, m.y(), k);
                            default -> Iht.solve(x, m.y(), k, 300, 1e-8);
                        };
                        double pe = relativePrediction(x, est, w);
                        err[si][ni] += pe / trials;
                        csv.append(String.format(Locale.ROOT, "%.0e,%s,%d,%d,%d,%s,%.6g,%.6g%n", cond, sup, n, d, k, solvers[si], pe, Problems.nmse(est, w)));
                    }
                }
                prog.advance(1);
            }
            for (int si = 0; si < solvers.length; si++) {
                curves.add(err[si]);
                names.add(String.format(Locale.ROOT, "%s %s κ=%.0e", solvers[si], sup, cond));
            }
        }
        prog.close();
        Chart chart = new Chart(String.format(Locale.ROOT, "Sparse regression, d=%d, k=%d, SNR %.0f dB", d, k, snrDb), "samples N", "log10 relative prediction error");
        double[] xs = new double[ns.length];
        for (int i = 0; i < ns.length; i++) xs[i] = ns[i];
        for (int i = 0; i < curves.size(); i++) {
            double[] ly = new double[ns.length];
            for (int j = 0; j < ns.length; j++) ly[j] = Math.log10(Math.max(curves.get(i)[j], 1e-12));
            chart.add(new Series(names.get(i), xs, ly, true));
        }
        opts.write("regression", csv.toString(), chart);
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"points\":%d}", opts.out, curves.size() * ns.length));
        return 0;
    }

    /** ||X(ŵ − w*)||² / ||X w*||². */
    static double relativePrediction(Dictionary x, double[] est, double[] truth) {
        double[] diff = new double[truth.length];
        for (int j = 0; j < diff.length; j++) diff[j] = est[j] - truth[j];
        double[] xd = x.times(diff), xt = x.times(truth);
        double a = 0, b = 0;
        for (int i = 0; i < xd.length; i++) { a += xd[i] * xd[i]; b += xt[i] * xt[i]; }
        return a / b;
    }
}
