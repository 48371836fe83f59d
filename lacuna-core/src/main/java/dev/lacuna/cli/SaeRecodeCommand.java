// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.recovery.Cel0Threshold;
import dev.lacuna.recovery.Dictionary;
import dev.lacuna.recovery.Fista;
import dev.lacuna.recovery.HardThreshold;
import dev.lacuna.recovery.Iht;
import dev.lacuna.recovery.LqThreshold;
import dev.lacuna.recovery.Omp;
import dev.lacuna.recovery.PowerIteration;
import dev.lacuna.recovery.Prox;
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
import java.util.function.DoubleFunction;

/**
 * {@code lacuna sae recode}: the amortization gap. The SAE's decoder W_dec^T [d_in, d_sae] is the dictionary;
 * each store row x − b_dec is encoded by a sparse solver at the SAE's own mean L0 and the FVE compared with the
 * SAE encoder's, with run times. FISTA takes any of the thresholds experiment's penalties (l1, l0, lq with
 * q = 1/2, CEL0), each at the λ found by bisection on the first rows to reach that L0: the thresholds
 * comparison on a real dictionary. Rows are shared out over the team; the values do not depend on it.
 */
@Command(name = "recode", mixinStandardHelpOptions = true, description = "Encode an activation store with a sparse solver on the SAE's decoder at the SAE's L0; compare FVE with the SAE encoder.")
public final class SaeRecodeCommand implements Callable<Integer> {
    @Option(names = "--sae", required = true, paramLabel = "SAE", description = "SAE directory from 'lacuna sae train'")
    Path saeDir;

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "activation store of the same model and hook")
    Path store;

    @Option(names = "--solver", required = true, paramLabel = "omp|iht|fista", description = "sparse solver")
    String solver;

    @Option(names = "--penalty", defaultValue = "l1", paramLabel = "l1|l0|lq|cel0",
            description = "FISTA's penalty: l1 (soft threshold), l0 (hard), lq (q = 1/2) or cel0 (default: ${DEFAULT-VALUE}); only with --solver fista")
    String penalty;

    @Option(names = "--rows", defaultValue = "1000", paramLabel = "N", description = "encode the first N store rows (default: ${DEFAULT-VALUE})")
    int rows;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() {
        if (!solver.equals("omp") && !solver.equals("iht") && !solver.equals("fista")) {
            throw new LacunaException("unknown --solver '" + solver + "' (omp, iht, fista)");
        }
        DoubleFunction<Prox> prox = switch (penalty) {
            case "l1" -> SoftThreshold::new;
            case "l0" -> HardThreshold::new;
            case "lq" -> lambda -> new LqThreshold(lambda, 0.5);
            case "cel0" -> Cel0Threshold::new;
            default -> throw new LacunaException("unknown --penalty '" + penalty + "' (l1, l0, lq, cel0)");
        };
        if (!solver.equals("fista") && !penalty.equals("l1")) throw new LacunaException("--penalty applies to --solver fista only");
        RecoverOptions.positive("--rows", rows);
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(threads.get())) {
            Sae sae = Sae.load(saeDir);
            st.checkMatches("the SAE in " + saeDir, sae.config().modelName(), sae.config().hookName(), sae.config().dIn());
            int d = sae.config().dIn(), l = sae.config().dSae();
            int n = (int) Math.min(rows, st.tokens());
            if ((long) n * d > Integer.MAX_VALUE - 8) throw new LacunaException("--rows " + rows + " x " + d + " values do not fit in memory at once; give fewer rows");
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
            // rows are encoded in blocks so that the dense codes [block, d_sae] stay small whatever --rows is
            int block = 2048;
            t0 = System.nanoTime(); // the solver's time includes its set-up (Gram matrix, λ search)
            Omp.Batch omp = solver.equals("omp") ? new Omp.Batch(a) : null;
            FistaSetup fs = solver.equals("fista") ? fistaSetup(par, a, centred(flat, bDec, d, 0, Math.min(16, n)), k, prox) : null;
            double err = 0, active = 0;
            double[] sum = new double[d], sumSq = new double[d];
            try (Progress prog = Progress.of("sae recode " + solver, n, 2 * block)) {
                for (int from = 0; from < n; from += block) {
                    int to = Math.min(n, from + block);
                    double[][] ys = centred(flat, bDec, d, from, to);
                    double[][] codes = switch (solver) {
                        case "omp" -> omp.solve(par, ys, k);
                        case "iht" -> {
                            double[][] c = new double[ys.length][];
                            par.forChunks(ys.length, 1, (f, t) -> {
                                for (int r = f; r < t; r++) c[r] = Iht.solve(a, ys[r], k, 100, 1e-6);
                            });
                            yield c;
                        }
                        default -> {
                            double[][] c = new double[ys.length][];
                            par.forChunks(ys.length, 1, (f, t) -> {
                                for (int r = f; r < t; r++) c[r] = Fista.solve(a, ys[r], fs.prox(), 200, 1e-6, fs.step(), fs.norms());
                            });
                            yield c;
                        }
                    };
                    for (int r = from; r < to; r++) {
                        double[] xh = a.times(codes[r - from]);
                        for (int i = 0; i < d; i++) {
                            double v = flat[r * d + i], e = xh[i] + bDec[i] - v;
                            err += e * e;
                            sum[i] += v;
                            sumSq[i] += v * v;
                        }
                        for (double c : codes[r - from]) if (c != 0) active++;
                    }
                    prog.advance(to - from);
                }
            }
            double solverMs = (System.nanoTime() - t0) / 1e6;
            double var = 0;
            for (int i = 0; i < d; i++) var += sumSq[i] - sum[i] * sum[i] / n;
            System.out.println(String.format(Locale.ROOT,
                    "{\"rows\":%d,\"k\":%d,\"threads\":%d,\"sae\":{\"fve\":%.5f,\"l0\":%.2f,\"ms\":%.1f},\"%s\":{%s\"fve\":%.5f,\"l0\":%.2f,\"ms\":%.1f}}",
                    n, k, par.threads(), own.fve(), own.l0(), saeMs, solver, solver.equals("fista") ? "\"penalty\":\"" + penalty + "\"," : "",
                    1 - err / var, active / n, solverMs));
        }
        return 0;
    }

    /** Rows [from, to) of the store minus b_dec, each [d_in]. */
    private static double[][] centred(float[] flat, float[] bDec, int d, int from, int to) {
        double[][] ys = new double[to - from][d];
        for (int r = from; r < to; r++) for (int i = 0; i < d; i++) ys[r - from][i] = flat[r * d + i] - bDec[i];
        return ys;
    }

    /** FISTA's penalty at its chosen λ, with the step (0.99 / L) and the column norms, computed once. */
    private record FistaSetup(Prox prox, double step, double[] norms) {}

    /**
     * The penalty at the λ whose mean L0 on the probe rows (the first 16) is closest to k: λ_max is the
     * smallest power-of-two multiple of 1e-12 at which the first step from zero keeps nothing on those rows,
     * then 14 bisections on log λ in [1e-8·λ_max, λ_max].
     */
    private static FistaSetup fistaSetup(Parallel par, Dictionary a, double[][] probeRows, int k, DoubleFunction<Prox> prox) {
        double step = 0.99 / PowerIteration.lipschitz(a, 1);
        double[] norms = a.columnNorms();
        int probe = probeRows.length;
        double[][] g = new double[probe][];
        for (int r = 0; r < probe; r++) g[r] = a.transposeTimes(probeRows[r]);
        double hi = 1e-12;
        while (keepsAny(prox.apply(hi), g, step, norms) && hi < 1e300) hi *= 2;
        double lo = hi * 1e-8;
        for (int it = 0; it < 14; it++) {
            double mid = Math.sqrt(lo * hi);
            if (meanL0(par, a, probeRows, prox.apply(mid), step, norms) > k) lo = mid; else hi = mid;
        }
        return new FistaSetup(prox.apply(Math.sqrt(lo * hi)), step, norms);
    }

    /** Whether FISTA's first step from zero, prox(step · A^T y), keeps a coordinate of any probe row. */
    private static boolean keepsAny(Prox p, double[][] g, double step, double[] norms) {
        for (double[] gr : g) for (int j = 0; j < gr.length; j++) if (p.apply(step * gr[j], step, norms[j]) != 0) return true;
        return false;
    }

    private static double meanL0(Parallel par, Dictionary a, double[][] ys, Prox p, double step, double[] norms) {
        int probe = ys.length;
        int[] l0 = new int[probe];
        par.forChunks(probe, 1, (from, to) -> {
            for (int r = from; r < to; r++) for (double c : Fista.solve(a, ys[r], p, 200, 1e-6, step, norms)) if (c != 0) l0[r]++;
        });
        double s = 0;
        for (int v : l0) s += v;
        return s / probe;
    }
}
