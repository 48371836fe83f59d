// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.tensor.FloatTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fits a {@link CostTable} on this machine (a developer tool, not a test): times dense and sparse
 * kernels on one thread with {@link KernelBenchmark} over shapes, token counts and patterns, then fits
 * in two steps: the dense units are the median ns per unit over the cases (dense runs the same
 * product in every case of a shape, so the median discards the machine's noise), and the sparse units
 * are the non-negative constants that minimise the squared relative error of {@code features ·
 * constants} against dense / measured speedup (the ratio, measured interleaved, is the robust figure
 * on a shared machine). Prints the table, each case's measured and fitted sparse-over-dense speedup,
 * and the current table's prediction beside it.
 *
 * <p>Run on a quiet machine (after {@code mvn -o test-compile}):
 * <pre>java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.lacuna.sparse.CostTableLab</pre>
 * ({@code mvn -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt} writes the class path).
 */
public final class CostTableLab {
    private CostTableLab() {}

    private record Case(String pattern, double sparsity, int rows, int cols, int tokens) {}

    private record Observation(double[] features, double nanos) {}

    public static void main(String[] args) {
        List<Case> cases = new ArrayList<>();
        String[][] patterns = {{"unstructured", "0.5"}, {"unstructured", "0.7"}, {"unstructured", "0.9"}, {"unstructured", "0.98"},
                {"2:4", "0.5"}, {"1:4", "0.75"}, {"4:8", "0.5"},
                {"block:1x8", "0.75"}, {"block:2x2", "0.75"}, {"block:4x4", "0.75"}, {"block:4x1", "0.75"}};
        int[][] shapes = {{1536, 384, 512}, {384, 1536, 512}, {1536, 384, 40}};
        for (int[] s : shapes) for (String[] p : patterns) cases.add(new Case(p[0], Double.parseDouble(p[1]), s[0], s[1], s[2]));
        cases.add(new Case("unstructured", 0.5, 1536, 384, 4));
        cases.add(new Case("unstructured", 0.5, 384, 1536, 4));
        int lanes = VectorWidth.L;
        CostTable current = CostTable.forLanes(lanes);
        List<Observation> obs = new ArrayList<>();
        List<double[]> pairs = new ArrayList<>(); // per case: dense features index, sparse features index
        long t0 = System.nanoTime();
        for (Case c : cases) {
            KernelBenchmark.Result r = KernelBenchmark.run(c.pattern(), c.sparsity(), c.rows(), c.cols(), c.tokens(), 1, 42);
            Linear[] ls = linears(c);
            obs.add(new Observation(CostTable.features(ls[0], c.tokens(), lanes), r.denseMs() * 1e6));
            obs.add(new Observation(CostTable.features(ls[1], c.tokens(), lanes), r.sparseMs() * 1e6));
            pairs.add(new double[] {obs.size() - 2, obs.size() - 1});
            System.err.printf(Locale.ROOT, "  %-12s s=%.2f %5dx%-5d T=%-4d dense %8.3f ms  %-9s %8.3f ms  x%.2f  (%.0f s)%n", c.pattern(), c.sparsity(),
                    c.rows(), c.cols(), c.tokens(), r.denseMs(), r.kernel(), r.sparseMs(), r.speedup(), (System.nanoTime() - t0) * 1e-9);
        }
        double[] fit = fit(obs, pairs);
        CostTable fitted = new CostTable("this machine", lanes, java.util.Arrays.stream(fit).boxed().toList());
        System.out.printf(Locale.ROOT, "lanes %d; fitted ns per unit:%n ", lanes);
        for (double v : fit) System.out.printf(Locale.ROOT, " %.4f", v);
        System.out.println();
        System.out.println("case                               measured  fitted  current-table");
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Observation d = obs.get((int) pairs.get(i)[0]), s = obs.get((int) pairs.get(i)[1]);
            Linear[] ls = linears(c);
            double cur = current.estimateNanos(ls[0], c.tokens()) / current.estimateNanos(ls[1], c.tokens());
            System.out.printf(Locale.ROOT, "%-12s s=%.2f %5dx%-5d T=%-4d  %6.2f  %6.2f  %6.2f%n", c.pattern(), c.sparsity(), c.rows(), c.cols(), c.tokens(),
                    d.nanos() / s.nanos(), dot(d.features(), fit) / dot(s.features(), fit), cur);
        }
    }

    /** The dense and the sparse Linear that {@link KernelBenchmark#run} builds for a case (same seed). */
    private static Linear[] linears(Case c) {
        Random rnd = new Random(42);
        float[] w = new float[c.rows() * c.cols()];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        SparsityPattern p = KernelBenchmark.pattern(c.pattern());
        FloatTensor masked = MaskSelection.pruneByMagnitude(new FloatTensor(new int[] {c.rows(), c.cols()}, w), p, c.sparsity());
        return new Linear[] {new DenseLinear(masked, null), KernelBenchmark.sparseFormat(p, masked, null)};
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /** Dense units by median, then the sparse units on targets dense(fitted) / measured speedup. */
    private static double[] fit(List<Observation> obs, List<double[]> pairs) {
        double[] c = new double[CostTable.UNITS];
        for (int unit = 0; unit < 2; unit++) {
            List<Double> per = new ArrayList<>();
            for (double[] p : pairs) {
                Observation d = obs.get((int) p[0]);
                if (d.features()[unit] > 0) per.add(d.nanos() / d.features()[unit]);
            }
            per.sort(null);
            c[unit] = per.isEmpty() ? 0 : per.get(per.size() / 2);
        }
        List<Observation> sparse = new ArrayList<>();
        for (double[] p : pairs) {
            Observation d = obs.get((int) p[0]), s = obs.get((int) p[1]);
            double speedup = d.nanos() / s.nanos();
            sparse.add(new Observation(s.features(), dot(d.features(), c) / speedup));
        }
        double[] rest = fitNonNegative(sparse);
        for (int i = 2; i < CostTable.UNITS; i++) c[i] = rest[i];
        return c;
    }

    /**
     * min over c ≥ 0 of sum ((f·c - t) / t)^2, by projected coordinate descent on the normal equations
     * (12 unknowns; units no case exercises stay at 0).
     */
    static double[] fitNonNegative(List<Observation> obs) {
        int u = CostTable.UNITS;
        double[][] a = new double[u][u];
        double[] b = new double[u];
        for (Observation o : obs) {
            double w = 1 / (o.nanos() * o.nanos());
            for (int i = 0; i < u; i++) {
                b[i] += w * o.features()[i] * o.nanos();
                for (int j = 0; j < u; j++) a[i][j] += w * o.features()[i] * o.features()[j];
            }
        }
        double[] c = new double[u];
        for (int it = 0; it < 200_000; it++) {
            double change = 0;
            for (int i = 0; i < u; i++) {
                if (a[i][i] == 0) continue;
                double r = b[i];
                for (int j = 0; j < u; j++) if (j != i) r -= a[i][j] * c[j];
                double v = Math.max(0, r / a[i][i]);
                change = Math.max(change, Math.abs(v - c[i]));
                c[i] = v;
            }
            if (change < 1e-12) break;
        }
        return c;
    }
}
