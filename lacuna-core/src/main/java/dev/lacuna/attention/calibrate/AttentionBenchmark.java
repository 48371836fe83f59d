// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.FlashAttention;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.attention.SyntheticQkv;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.io.IoProblem;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
/**
 * Sparse attention against dense flash attention on the same q/k/v, same threads, interleaved.
 *
 * <p>Timing: both kernels compute every query of every head; dense and sparse runs alternate
 * ({@link Options#reps} pairs) and the medians are reported. Quality: exact attention is computed
 * only for sampled query tiles (the full reference is O(N²)), and the sparse kernel is run on the
 * same tiles; every kernel of this package computes a row the same way whether it runs alone in
 * its tile or in a full pass, so these rows equal the full run's.
 *
 * <p>Recall target: when the method has a budget parameter the caller did not set (k, p, mass,
 * window, threshold, ...), the benchmark walks that parameter from sparse to dense (the method's
 * {@link dev.lacuna.attention.AttentionMethod#budget} ladder) and keeps the
 * first value whose mass recall on one set of sampled query tiles reaches the target; recall and
 * error are then reported on a disjoint set of tiles, so they may fall slightly short of the
 * target. Plans tune on calibration text instead ({@link AttentionCalibrator}).
 */
public final class AttentionBenchmark {
    /**
     * One method at one length. Times in milliseconds for all queries of all heads.
     *
     * @param massRecall mean over sampled queries of the exact softmax mass on the kept keys
     * @param relError   ||out - dense|| / ||dense|| over the sampled queries
     * @param sparsity   fraction of (query, key) pairs whose weight did not enter a softmax
     * @param spec       the method with its parameters as run (after tuning)
     */
    public record Result(String method, int length, double denseMs, double sparseMs, double speedup, double massRecall,
                         double relError, double sparsity, String spec) {
        /** {"method":..,"length":..,"dense_ms":..,"sparse_ms":..,"speedup":..,"mass_recall":..,"rel_error":..,"sparsity":..} */
        public String json() {
            return String.format(Locale.ROOT,
                    "{\"method\":\"%s\",\"length\":%d,\"dense_ms\":%.3f,\"sparse_ms\":%.3f,\"speedup\":%.3f,"
                            + "\"mass_recall\":%.6f,\"rel_error\":%.6f,\"sparsity\":%.6f}",
                    method, length, denseMs, sparseMs, speedup, massRecall, relError, sparsity);
        }
    }

    /** Dense flash throughput: 4·N²·D·H floating-point operations (QKᵀ and PV) per pass. */
    public record Throughput(int length, int heads, int headDim, int threads, double ms, double gflops) {
        public String json() {
            return String.format(Locale.ROOT,
                    "{\"length\":%d,\"heads\":%d,\"head_dim\":%d,\"threads\":%d,\"dense_ms\":%.3f,\"gflops\":%.2f}",
                    length, heads, headDim, threads, ms, gflops);
        }
    }

    /**
     * @param reps         timed dense/sparse pairs; 0 picks by length (5 up to 8k tokens, 3 to 16k, then 1)
     * @param sampleTiles  query tiles of 64 rows whose exact attention is computed for quality
     * @param layer        model layer whose q/k/v the real source captures
     * @param cacheDir     where captured q/k/v are kept between runs
     * @param cpuClock     time by the calling thread's CPU time instead of the wall clock: immune to
     *                     other processes on a shared machine; only with one thread
     */
    public record Options(int reps, int sampleTiles, int layer, Path cacheDir, boolean cpuClock) {
        public Options {
            if (reps < 0) throw new LacunaException("reps must be >= 0, got " + reps);
            if (sampleTiles < 1) throw new LacunaException("sample tiles must be >= 1, got " + sampleTiles);
        }

        public static Options defaults() {
            return new Options(0, 4, 3, Path.of(System.getProperty("java.io.tmpdir"), "lacuna-attention-cache"), false);
        }
    }

    /** q, k, v [N, H * D] of one benchmark input. */
    public record Inputs(float[] q, float[] k, float[] v, int length, int heads, int headDim, String source) {
        public int width() {
            return heads * headDim;
        }
    }

    private static final int REAL_WINDOW = 512;
    private static final int TILE = 64;

    private AttentionBenchmark() {}

    /** {@link #run(MethodSpec, Inputs, double, int, long, Options)} on inputs from {@code source}. */
    public static Result run(String method, Map<String, String> params, int length, int heads, int headDim, String source,
                             double recallTarget, int threads, long seed) {
        Options o = Options.defaults();
        MethodSpec spec = MethodSpec.parse(method, params);
        return run(spec, params.keySet(), inputs(source, length, heads, headDim, seed, o), recallTarget, threads, seed, o);
    }

    /**
     * Benchmarks a method against dense flash attention, first tuning the budget parameters not in
     * {@code fixed} to the recall target (in (0, 1]; NaN: no tuning, the parameters as given).
     */
    public static Result run(MethodSpec spec, java.util.Set<String> fixed, Inputs in, double recallTarget, int threads,
                             long seed, Options o) {
        if (threads < 1) throw new LacunaException("threads must be >= 1, got " + threads);
        if (o.cpuClock() && threads != 1) throw new LacunaException("the CPU-time clock needs threads = 1, got " + threads);
        if (!Double.isNaN(recallTarget) && !(recallTarget > 0 && recallTarget <= 1)) {
            throw new LacunaException("recall target must be in (0, 1], got " + recallTarget);
        }
        boolean causal = spec.params().get("causal").equals("true");
        try (Parallel par = new Parallel(threads)) {
            // tuning and reporting use disjoint query tiles, so the reported recall is not the tuned one
            Reference[] refs = reference(in, causal, o.sampleTiles(), sampleRows(spec), seed, par);
            MethodSpec chosen = Double.isNaN(recallTarget) ? spec : tune(spec, fixed, in, refs[0], recallTarget, par);
            AttentionKernel sparse = chosen.kernel();
            Quality qual = quality(sparse, in, refs[1], par);
            AttentionKernel dense = new FlashAttention(causal, FlashAttention.TILE);
            float[] outD = new float[in.q.length], outS = new float[in.q.length];
            warm(dense, sparse, in, par);
            int reps = o.reps() > 0 ? o.reps() : in.length <= 8192 ? 5 : in.length <= 16384 ? 3 : 1;
            double[] td = new double[reps], ts = new double[reps];
            long kept = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = now(o);
                runAll(dense, in, outD, par);
                long t1 = now(o);
                kept = runAll(sparse, in, outS, par);
                long t2 = now(o);
                td[r] = (t1 - t0) / 1e6;
                ts[r] = (t2 - t1) / 1e6;
            }
            double dm = median(td), sm = median(ts);
            double total = (double) in.heads * (causal ? (double) in.length * (in.length + 1) / 2 : (double) in.length * in.length);
            return new Result(spec.name(), in.length, dm, sm, dm / sm, qual.recall, qual.relError, 1 - kept / total,
                    chosen.toString());
        }
    }

    /** Dense flash attention GFLOP/s on synthetic inputs (median of 5 passes, wall clock). */
    public static Throughput denseThroughput(int length, int heads, int headDim, int threads, long seed) {
        return denseThroughput(length, heads, headDim, threads, seed, false);
    }

    /** As above; with {@code cpuClock} (one thread only) timed by the thread's CPU time. */
    public static Throughput denseThroughput(int length, int heads, int headDim, int threads, long seed, boolean cpuClock) {
        if (cpuClock && threads != 1) throw new LacunaException("the CPU-time clock needs threads = 1, got " + threads);
        Options o = new Options(5, 1, 0, Path.of("."), cpuClock);
        float[][] qkv = SyntheticQkv.generate(length, heads, headDim, seed);
        Inputs in = new Inputs(qkv[0], qkv[1], qkv[2], length, heads, headDim, "synthetic");
        FlashAttention f = new FlashAttention();
        float[] out = new float[in.q.length];
        try (Parallel par = new Parallel(threads)) {
            warm(f, f, in, par);
            double[] t = new double[5];
            for (int r = 0; r < t.length; r++) {
                long t0 = now(o);
                runAll(f, in, out, par);
                t[r] = (now(o) - t0) / 1e6;
            }
            double ms = median(t);
            double flops = 4.0 * length * (double) length * headDim * heads;
            return new Throughput(length, heads, headDim, threads, ms, flops / (ms * 1e6));
        }
    }

    // ---- inputs

    /**
     * Benchmark inputs: {@code synthetic} (planted structure, {@link SyntheticQkv}), or {@code real} /
     * {@code real:L}: q/k/v of layer L (default {@link Options#layer}) of all-MiniLM-L6-v2 on WikiText-2
     * windows of 512 tokens, concatenated past 512 tokens. Real inputs have 12 heads of 32 dims.
     */
    public static Inputs inputs(String source, int length, int heads, int headDim, long seed, Options o) {
        if (length < 1) throw new LacunaException("length must be >= 1, got " + length);
        if (heads < 1) throw new LacunaException("heads must be >= 1, got " + heads);
        if (source.equals("synthetic")) {
            if (headDim < 8 || headDim > 256) throw new LacunaException("head dim must be in [8, 256], got " + headDim);
            if ((long) length * heads * headDim > Integer.MAX_VALUE - 64) {
                throw new LacunaException("length x heads x head dim is too large for one array: " + length + " x " + heads + " x " + headDim);
            }
            float[][] qkv = SyntheticQkv.generate(length, heads, headDim, seed);
            return new Inputs(qkv[0], qkv[1], qkv[2], length, heads, headDim, source);
        }
        if (source.equals("real") || source.startsWith("real:")) {
            int layer = o.layer();
            if (source.startsWith("real:")) {
                try {
                    layer = Integer.parseInt(source.substring(5));
                } catch (NumberFormatException e) {
                    throw new LacunaException("source " + source + ": expected real:LAYER with an integer layer");
                }
            }
            return real(length, heads, headDim, layer, o);
        }
        throw new LacunaException("unknown source '" + source + "' (real, real:LAYER, synthetic)");
    }

    private static Inputs real(int length, int heads, int headDim, int layer, Options o) {
        if (headDim != 32) throw new LacunaException("real q/k/v come from MiniLM's heads of 32 dims; use --source synthetic for head dim " + headDim);
        if (heads > 12) throw new LacunaException("real q/k/v have 12 heads; asked for " + heads);
        if (layer < 0 || layer > 5) throw new LacunaException("layer " + layer + " does not exist: MiniLM has layers 0..5");
        int windows = (length + REAL_WINDOW - 1) / REAL_WINDOW;
        float[][] qkv = AttentionCapture.cachedLayer(o.cacheDir(), "minilm-wikitext2-" + REAL_WINDOW, layer, windows, (from, to) -> {
            LoadedModel m = ModelLoader.load("default");
            List<int[]> w = AttentionCapture.windows(m.encoder().tokenizer(), calibrationText(), REAL_WINDOW, to);
            if (w.size() < Math.min(to, windows)) {
                throw new LacunaException("the text has only " + w.size() + " windows of " + REAL_WINDOW + " tokens; " + length + " tokens need " + windows);
            }
            try (Parallel par = new Parallel(Math.max(1, Runtime.getRuntime().availableProcessors()))) {
                return AttentionCapture.capture(m.encoder().model(), par, w.subList(Math.min(from, w.size()), w.size()), layer);
            }
        });
        int c = 12 * 32, width = heads * headDim;
        if (qkv[0].length < length * c) throw new LacunaException("captured q/k/v hold " + qkv[0].length / c + " tokens, fewer than " + length);
        float[][] r = new float[3][length * width];
        for (int a = 0; a < 3; a++) {
            for (int t = 0; t < length; t++) System.arraycopy(qkv[a], t * c, r[a], t * width, width);
        }
        return new Inputs(r[0], r[1], r[2], length, heads, headDim, "real:" + layer);
    }

    /**
     * Real English text: WikiText-2 validation from the shared data directory (system property
     * {@code lacuna.shared.data}, else ../shared/data), or the embedded Europarl sentences.
     */
    public static List<String> calibrationText() {
        Path p = Path.of(System.getProperty("lacuna.shared.data", "../shared/data"), "text", "wikitext2-valid.txt");
        if (Files.isRegularFile(p)) {
            try {
                return Files.readAllLines(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new LacunaException(p + ": cannot read (" + IoProblem.describe(e) + ")");
            }
        }
        return EmbeddedText.englishSentences(0, 20000);
    }

    // ---- reference and quality on sampled query tiles

    /** Exact outputs and log-sum-exp of the sampled query tiles, all heads. */
    private record Reference(int[] tiles, int rows, float[][] out, float[][] lse) {}

    private record Quality(double recall, double relError) {}

    /** Sampled tiles must align with the method's own query tiles: the largest tile or block it uses. */
    private static int sampleRows(MethodSpec spec) {
        int rows = TILE;
        for (String key : new String[] {"tile", "block"}) {
            String v = spec.params().get(key);
            if (v != null) rows = Math.max(rows, Integer.parseInt(v));
        }
        return rows;
    }

    /** {tuning, reporting} references on disjoint random query tiles (the same tiles when there are too few). */
    private static Reference[] reference(Inputs in, boolean causal, int sampleTiles, int rows, long seed, Parallel par) {
        int nt = (in.length + rows - 1) / rows;
        int[] all = new int[nt];
        for (int i = 0; i < nt; i++) all[i] = i;
        Random r = new Random(seed ^ 0x5EED);
        for (int i = nt - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int want = Math.max(1, sampleTiles * TILE / rows);
        int[] report = Arrays.copyOf(all, Math.min(nt, want));
        int[] tune = nt >= 2 * want ? Arrays.copyOfRange(all, want, 2 * want) : report.clone();
        Arrays.sort(report);
        Arrays.sort(tune);
        return new Reference[] {exact(in, causal, tune, rows, par), exact(in, causal, report, rows, par)};
    }

    private static Reference exact(Inputs in, boolean causal, int[] tiles, int rows, Parallel par) {
        FlashAttention exact = new FlashAttention(causal, FlashAttention.TILE);
        float[][] out = new float[in.heads][];
        float[][] lse = new float[in.heads][];
        par.forRange(in.heads, (s, e) -> {
            for (int h = s; h < e; h++) {
                float[] o = new float[in.q.length];
                float[] l = new float[in.length];
                for (int t : tiles) {
                    int r0 = t * rows, r1 = Math.min(in.length, r0 + rows);
                    exact.attendRows(in.q, in.k, in.v, o, in.width(), 0, in.length, h * in.headDim, in.headDim,
                            scale(in), new float[0], r0, r1, l);
                }
                out[h] = o;
                lse[h] = l;
            }
        });
        return new Reference(tiles, rows, out, lse);
    }

    private static Quality quality(AttentionKernel kern, Inputs in, Reference ref, Parallel par) {
        double[] recall = new double[in.heads], err2 = new double[in.heads], norm2 = new double[in.heads];
        int[] count = new int[in.heads];
        par.forRange(in.heads, (s, e) -> {
            float[] o = new float[in.q.length];
            float[] l = new float[in.length];
            float[] scratch = new float[Math.max(1, kern.scratchSize(in.length, in.headDim))];
            for (int h = s; h < e; h++) {
                for (int t : ref.tiles) {
                    int r0 = t * ref.rows, r1 = Math.min(in.length, r0 + ref.rows);
                    kern.attendRows(in.q, in.k, in.v, o, in.width(), 0, in.length, h * in.headDim, in.headDim, scale(in),
                            scratch, r0, r1, l);
                    for (int i = r0; i < r1; i++) {
                        double rc = Math.exp((double) l[i] - ref.lse[h][i]);
                        recall[h] += Double.isNaN(rc) ? 0 : Math.min(1, rc);
                        count[h]++;
                        for (int d = 0; d < in.headDim; d++) {
                            int x = i * in.width() + h * in.headDim + d;
                            double diff = o[x] - ref.out[h][x];
                            err2[h] += diff * diff;
                            norm2[h] += (double) ref.out[h][x] * ref.out[h][x];
                        }
                    }
                }
            }
        });
        double rs = 0, es = 0, ns = 0;
        int c = 0;
        for (int h = 0; h < in.heads; h++) {
            rs += recall[h];
            c += count[h];
            es += err2[h];
            ns += norm2[h];
        }
        return new Quality(rs / c, Math.sqrt(es / Math.max(ns, 1e-30)));
    }

    // ---- budget tuning

    /** The cheapest setting on the method's ladder whose sampled mass recall reaches the target. */
    private static MethodSpec tune(MethodSpec spec, java.util.Set<String> fixed, Inputs in, Reference ref, double target, Parallel par) {
        List<Map<String, String>> ladder = spec.method().budget().steps(in.length, target);
        MethodSpec last = spec;
        for (Map<String, String> step : ladder) {
            if (!java.util.Collections.disjoint(step.keySet(), fixed)) return spec;
            MethodSpec s = spec.with(step);
            last = s;
            if (quality(s.kernel(), in, ref, par).recall >= target) return s;
        }
        return last;
    }

    // ---- timing helpers

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static long now(Options o) {
        return o.cpuClock() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    private static float scale(Inputs in) {
        return (float) (1 / Math.sqrt(in.headDim));
    }

    /** Every query of every head; heads spread over the team. Returns kept pairs. */
    private static long runAll(AttentionKernel kern, Inputs in, float[] out, Parallel par) {
        long[] kept = new long[in.heads];
        par.forRange(in.heads, (s, e) -> {
            float[] scratch = new float[Math.max(1, kern.scratchSize(in.length, in.headDim))];
            for (int h = s; h < e; h++) {
                kept[h] = kern.attendRows(in.q, in.k, in.v, out, in.width(), 0, in.length, h * in.headDim, in.headDim,
                        scale(in), scratch, 0, in.length, null);
            }
        });
        long sum = 0;
        for (long x : kept) sum += x;
        return sum;
    }

    /** Compiles both kernels' hot paths on a short prefix before timing. */
    private static void warm(AttentionKernel a, AttentionKernel b, Inputs in, Parallel par) {
        int n = Math.min(in.length, 2048);
        Inputs w = new Inputs(in.q, in.k, in.v, n, in.heads, in.headDim, in.source);
        float[] out = new float[in.q.length];
        for (int r = 0; r < 3; r++) {
            runAll(a, w, out, par);
            runAll(b, w, out, par);
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** A table of results as JSON lines. */
    public static String jsonLines(List<Result> results) {
        StringBuilder b = new StringBuilder();
        for (Result r : results) b.append(r.json()).append('\n');
        return b.toString();
    }
}
