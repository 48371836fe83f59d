// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code lacuna bench serve}: the server under load over loopback, in-process. {@code clients} clients
 * ({@link LoadClient}: one keep-alive connection each) each send {@code POST /v1/embeddings} with
 * {@code perRequest} texts back to back; the result is the
 * served throughput and latency percentiles beside offline throughput ({@link EncoderBenchmark}, same
 * texts, batches of {@code offlineBatch}) and offline batch-1 latency, all on the same threads.
 */
public final class ServeBenchmark {
    /** Figures of one run. */
    public record Result(int clients, int perRequest, long requests, long errors, double seconds, double sentencesPerSecond,
                         double p50Ms, double p99Ms, double offlineSentencesPerSecond, double offlineBefore, double offlineAfter,
                         double offlineBatch1Ms, OpenLoop halfRate, double sequencesPerPass, double passMs, double jitMs,
                         double serveWarmupSeconds) {
        public double ratio() {
            return sentencesPerSecond / offlineSentencesPerSecond;
        }

        public String summary() {
            String s = String.format(Locale.ROOT, "served: %.1f sentences/s with %d clients (p50 %.2f ms, p99 %.2f ms, %d requests, %d errors; "
                            + "forward passes of %.1f sentences taking %.2f ms on average; JIT compiling %.0f ms of the %.1f s, after %.0f s of warm-up); offline: %.1f sentences/s (%.1f before the served window, %.1f after), batch-1 %.2f ms; ratio %.3f",
                    sentencesPerSecond, clients, p50Ms, p99Ms, requests, errors, sequencesPerPass, passMs, jitMs, seconds, serveWarmupSeconds, offlineSentencesPerSecond,
                    offlineBefore, offlineAfter, offlineBatch1Ms, ratio());
            if (halfRate != null) {
                s += String.format(Locale.ROOT, "; at half that rate (%.1f requests/s, open loop): p50 %.2f ms, p99 %.2f ms, p99/p50 %.2f, %d errors; JIT compiling %.0f ms of it",
                        halfRate.rate(), halfRate.p50Ms(), halfRate.p99Ms(), halfRate.p99Ms() / halfRate.p50Ms(), halfRate.errors(), halfRate.jitMs());
            }
            return s;
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"clients\":%d,\"inputs_per_request\":%d,\"requests\":%d,\"errors\":%d,\"seconds\":%.2f,"
                            + "\"sentences_per_s\":%.2f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"offline_sentences_per_s\":%.2f,\"offline_before\":%.2f,\"offline_after\":%.2f,"
                            + "\"offline_batch1_ms\":%.3f,\"ratio\":%.4f,\"sequences_per_pass\":%.2f,\"pass_ms\":%.3f,\"jit_ms\":%.0f,\"serve_warmup_s\":%.1f}",
                    clients, perRequest, requests, errors, seconds, sentencesPerSecond, p50Ms, p99Ms,
                    offlineSentencesPerSecond, offlineBefore, offlineAfter, offlineBatch1Ms, ratio(), sequencesPerPass, passMs, jitMs, serveWarmupSeconds).replaceFirst("}$", halfRate == null ? "}" : ",\"half_rate\":" + halfRate.json() + "}");
        }
    }

    /** Requests sent at a fixed rate whatever the responses (open loop): latency from the scheduled send to the response. */
    public record OpenLoop(double rate, long requests, long errors, double p50Ms, double p99Ms, double jitMs) {
        public String json() {
            return String.format(Locale.ROOT, "{\"rate\":%.2f,\"requests\":%d,\"errors\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p99_over_p50\":%.3f,\"jit_ms\":%.0f}",
                    rate, requests, errors, p50Ms, p99Ms, p99Ms / p50Ms, jitMs);
        }

        OpenLoop withJitMs(double ms) {
            return new OpenLoop(rate, requests, errors, p50Ms, p99Ms, ms);
        }
    }

    private ServeBenchmark() {}

    public static Result run(String name, String source, SentenceEncoder encoder, ServerOptions opt, List<String> texts,
                             int clients, int perRequest, int offlineBatch, double seconds, double warmupSeconds) throws InterruptedException {
        return run(name, source, encoder, opt, texts, clients, perRequest, offlineBatch, seconds, warmupSeconds, false);
    }

    /**
     * As above; with {@code halfRate}, then also sends requests open loop at half the saturated
     * request rate for {@code seconds} (the p99/p50 of a server that is not saturated).
     */
    public static Result run(String name, String source, SentenceEncoder encoder, ServerOptions opt, List<String> texts,
                             int clients, int perRequest, int offlineBatch, double seconds, double warmupSeconds, boolean halfRate)
            throws InterruptedException {
        return run(name, source, encoder, opt, texts, clients, perRequest, offlineBatch, seconds, warmupSeconds, warmupSeconds, warmupSeconds, halfRate);
    }

    /**
     * As above, the server warmed by the same closed-loop load for at least {@code serveWarmupSeconds}
     * and then, in chunks of {@value #WARMUP_CHUNK_SECONDS} s, until the JIT compilers spend under
     * {@value #SETTLED_JIT_SHARE} of a chunk (at most {@code maxServeWarmupSeconds} in all); the open-loop
     * load is warmed the same way, from {@value #OPEN_LOOP_WARMUP_SECONDS} s to at most
     * {@value #MAX_OPEN_LOOP_WARMUP_SECONDS} s. On two cores Jetty's and Javalin's paths are compiled for
     * 30-35 s of saturating load, and a window taken during that (20 s of warm-up gave 1.2-2.3 s of JIT
     * in a 10 s window) measures the compilers as much as the server (docs/BENCHMARKS.md, "Embedding server").
     */
    public static Result run(String name, String source, SentenceEncoder encoder, ServerOptions opt, List<String> texts,
                             int clients, int perRequest, int offlineBatch, double seconds, double warmupSeconds,
                             double serveWarmupSeconds, double maxServeWarmupSeconds, boolean halfRate) throws InterruptedException {
        if (texts.isEmpty()) throw new LacunaException("bench serve: no texts");
        if (clients < 1) throw new LacunaException("--clients must be >= 1, got " + clients);
        if (perRequest < 1) throw new LacunaException("--inputs-per-request must be >= 1, got " + perRequest);
        texts = mixed(texts);
        EmbeddingServer.warmUp(encoder, opt.threads());
        // Offline is measured before and after the served window and averaged: on a VM whose speed
        // drifts by 15% within a minute, one offline window a minute before the served one made the
        // ratio read 0.65-1.00 over four runs of the same build (docs/BENCHMARKS.md, "Embedding server").
        try (Parallel par = new Parallel(opt.threads())) {
            var enc = encoder.tokenizer().withMaxLength(opt.maxInputTokens());
            List<dev.lacuna.tokenizer.Encoding> encodings = texts.stream().map(enc::encode).toList();
            EncoderBenchmark.Engine lacuna = EncoderBenchmark.lacuna("lacuna", encoder, par);
            double before = new EncoderBenchmark(encodings, offlineBatch).run(List.of(lacuna), seconds, warmupSeconds).get(0).sentencesPerSecond();
            double batch1Ms = new EncoderBenchmark(encodings, 1).run(List.of(lacuna), Math.max(1, seconds / 4), 0.5).get(0).medianBatchMs();
            try (EmbeddingServer s = EmbeddingServer.start(name, source, encoder, opt.withPort(0), null)) {
                List<String> all = texts;
                double warmed = warmUntilSettled(serveWarmupSeconds, Math.max(serveWarmupSeconds, maxServeWarmupSeconds),
                        t -> load(s, all, clients, perRequest, t, null));
                long[] lat = new long[1 << 20];
                AtomicLong errors = new AtomicLong();
                ServerMetrics.Passes passesBefore = s.passes();
                long jit0 = jitMillis();
                long t0 = System.nanoTime();
                int n = load(s, texts, clients, perRequest, seconds, new Recorder(lat, errors));
                double took = (System.nanoTime() - t0) / 1e9;
                long jit = jitMillis() - jit0;
                ServerMetrics.Passes passes = s.passes().minus(passesBefore);
                double after = new EncoderBenchmark(encodings, offlineBatch).run(List.of(lacuna), seconds, 0.5).get(0).sentencesPerSecond();
                long[] sorted = Arrays.copyOf(lat, Math.min(n, lat.length));
                Arrays.sort(sorted);
                OpenLoop half = null;
                if (halfRate) {
                    // the open-loop sender's own path is compiled apart from the closed loop's: warmed first,
                    // not measured
                    double rate = n / took / 2;
                    double open = Math.min(OPEN_LOOP_WARMUP_SECONDS, seconds);
                    warmUntilSettled(open, Math.max(open, Math.min(MAX_OPEN_LOOP_WARMUP_SECONDS, maxServeWarmupSeconds)),
                            t -> openLoop(s, all, perRequest, rate, t));
                    long halfJit0 = jitMillis();
                    half = openLoop(s, texts, perRequest, rate, seconds);
                    half = half.withJitMs(halfJit0 < 0 ? Double.NaN : jitMillis() - halfJit0);
                }
                return new Result(clients, perRequest, n, errors.get(), took, (n - errors.get()) * perRequest / took,
                        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, (before + after) / 2, before, after, batch1Ms, half,
                        passes.sequences() / Math.max(1, passes.count()), passes.seconds() * 1e3 / Math.max(1, passes.count()), jit < 0 ? Double.NaN : jit,
                        warmed);
            }
        }
    }

    /**
     * The texts in a seeded random order, the order every load of a run cycles through. Files are often
     * sorted by source (STS-B dev: captions of 7-10 words, then news and forum sentences of 15-18, then
     * captions again), and cycling them in file order makes the load of a few seconds' window anything
     * from half to twice the average: at half the saturated rate the server was then saturated for three
     * seconds of every ten (docs/BENCHMARKS.md, "Embedding server").
     */
    static List<String> mixed(List<String> texts) {
        List<String> m = new ArrayList<>(texts);
        java.util.Collections.shuffle(m, new java.util.Random(0x5eed));
        return m;
    }

    /** Seconds of one warm-up chunk after the minimum warm-up. */
    static final double WARMUP_CHUNK_SECONDS = 5;
    /** JIT time over chunk time below which a chunk counts as settled (2% of one core). */
    static final double SETTLED_JIT_SHARE = 0.02;
    /** Longest open-loop warm-up when it does not settle. */
    static final double MAX_OPEN_LOOP_WARMUP_SECONDS = 30;

    /** One stretch of load of the given seconds. */
    interface Load {
        void run(double seconds) throws InterruptedException;
    }

    /**
     * Runs {@code load} for {@code minSeconds}, then in chunks of {@link #WARMUP_CHUNK_SECONDS} until
     * the JIT spent under {@link #SETTLED_JIT_SHARE} of the last chunk or {@code maxSeconds} have passed
     * (no chunks where the JVM does not report compile time); returns the seconds spent.
     */
    static double warmUntilSettled(double minSeconds, double maxSeconds, Load load) throws InterruptedException {
        long t0 = System.nanoTime();
        if (minSeconds > 0) load.run(minSeconds);
        // chunks are planned in load seconds, so a maximum equal to the minimum runs no chunk at all
        for (double planned = minSeconds; planned < maxSeconds && jitMillis() >= 0; ) {
            double chunk = Math.min(WARMUP_CHUNK_SECONDS, maxSeconds - planned);
            planned += chunk;
            long j0 = jitMillis(), c0 = System.nanoTime();
            load.run(chunk);
            double chunkMs = (System.nanoTime() - c0) / 1e6;
            if (jitMillis() - j0 <= SETTLED_JIT_SHARE * chunkMs) break;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Milliseconds the JIT compilers have spent so far in this JVM, or -1 where it is not reported: the
     * HTTP stack (Jetty, Jackson, the JDK's HTTP client) is still being compiled for tens of seconds
     * after a server starts, on the same cores as the forward passes, so a window with much JIT time is
     * not yet the steady state (docs/BENCHMARKS.md, "Embedding server").
     */
    static long jitMillis() {
        var c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : -1;
    }

    record Recorder(long[] latencies, AtomicLong errors) {}

    /** Runs the clients for {@code seconds}; returns the number of requests sent. */
    static int load(EmbeddingServer s, List<String> texts, int clients, int perRequest, double seconds, Recorder rec)
            throws InterruptedException {
        ObjectMapper json = new ObjectMapper();
        URI base = URI.create(s.baseUrl());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(pool.submit(() -> {
                    try (LoadClient http = new LoadClient(base, "/v1/embeddings")) {
                        while (System.nanoTime() < end) {
                            byte[] body = request(json, texts, perRequest, next);
                            long t0 = System.nanoTime();
                            int status;
                            try {
                                status = http.post(body);
                            } catch (java.io.IOException e) {
                                status = -1;
                            }
                            long dt = System.nanoTime() - t0;
                            int k = sent.getAndIncrement();
                            if (rec != null) {
                                if (k < rec.latencies.length) rec.latencies[k] = dt;
                                if (status != 200) rec.errors.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("bench serve client failed: " + e.getCause(), e.getCause());
                }
            }
        }
        return sent.get();
    }

    /** The JSON body of one request: the next {@code perRequest} texts, truncated where too long. */
    private static byte[] request(ObjectMapper json, List<String> texts, int perRequest, AtomicInteger next) {
        ObjectNode body = json.createObjectNode();
        var arr = body.putArray("input");
        for (int i = 0; i < perRequest; i++) arr.add(texts.get(Math.floorMod(next.getAndIncrement(), texts.size())));
        body.put("truncate", true);
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Connections of the open-loop sender, each on its own thread with every 64th request of the schedule. */
    private static final int OPEN_LOOP_CONNECTIONS = 64;
    /** Seconds of open-loop load sent, and not measured, before the half-rate window. */
    static final double OPEN_LOOP_WARMUP_SECONDS = 5;

    /** Sends {@code rate} requests per second, evenly spaced, for {@code seconds}, not waiting for answers. */
    static OpenLoop openLoop(EmbeddingServer s, List<String> texts, int perRequest, double rate, double seconds) throws InterruptedException {
        return openLoop(s, texts, perRequest, rate, seconds, null);
    }

    /**
     * As above; {@code latencies}, when not null, receives each request's latency in ns (request i
     * scheduled at i / rate s), measured from its scheduled send, so a send made late by a slow answer
     * counts as waiting (no coordinated omission). As wrk2 does: connection c has its own thread and
     * sends requests c, c + 64, c + 128, ... at their times; all bodies are built and all connections
     * opened before the first request. The earlier sender (one timer thread handing each request to a
     * pool that took an idle connection from a queue) kept the JIT compiling its executor and lock
     * code well into the measured window, on the cores that serve (docs/BENCHMARKS.md, "Embedding server").
     */
    static OpenLoop openLoop(EmbeddingServer s, List<String> texts, int perRequest, double rate, double seconds, long[][] latencies)
            throws InterruptedException {
        if (!(rate > 0)) throw new LacunaException("bench serve: no requests were answered, so there is no rate to halve");
        ObjectMapper json = new ObjectMapper();
        URI base = URI.create(s.baseUrl());
        int total = (int) Math.max(1, Math.min(1 << 20, rate * seconds));
        long[] lat = new long[total];
        if (latencies != null) latencies[0] = lat;
        AtomicInteger next = new AtomicInteger();
        byte[][] bodies = new byte[total][];
        for (int i = 0; i < total; i++) bodies[i] = request(json, texts, perRequest, next);
        int conns = Math.min(OPEN_LOOP_CONNECTIONS, total);
        LoadClient[] clients = new LoadClient[conns];
        Thread[] senders = new Thread[conns];
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        double period = 1e9 / rate;
        try {
            for (int c = 0; c < conns; c++) {
                clients[c] = new LoadClient(base, "/v1/embeddings");
                try {
                    clients[c].open();
                } catch (java.io.IOException e) {
                    throw new LacunaException("bench serve: cannot connect to " + base + " (" + e.getMessage() + ")");
                }
            }
            long t0 = System.nanoTime() + 20_000_000L;
            for (int c = 0; c < conns; c++) {
                LoadClient http = clients[c];
                int first = c;
                senders[c] = Thread.ofPlatform().name("lacuna-open-loop-" + c).daemon(true).unstarted(() -> {
                    for (int i = first; i < total && !stop.get(); i += conns) {
                        long at = t0 + (long) (i * period);
                        for (long wait; (wait = at - System.nanoTime()) > 0; ) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        int status;
                        try {
                            status = http.post(bodies[i]);
                        } catch (java.io.IOException | RuntimeException e) {
                            status = -1; // counted as an error; the thread goes on with its schedule
                        }
                        lat[i] = System.nanoTime() - at;
                        if (status != 200) errors.incrementAndGet();
                    }
                });
                senders[c].start();
            }
            long deadline = t0 + (long) (seconds * 1e9) + 120_000_000_000L;
            for (Thread t : senders) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) {
                    throw new LacunaException("bench serve: open-loop requests did not finish within 120 s of the window's end");
                }
            }
        } finally {
            stop.set(true);
            for (LoadClient c : clients) {
                if (c != null) c.close(); // unblocks a sender still reading
            }
            for (Thread t : senders) {
                if (t != null) t.join(10_000);
            }
        }
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        return new OpenLoop(rate, total, errors.get(), percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, Double.NaN);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = Math.max(0, (int) Math.ceil(p * sorted.length) - 1);
        return sorted[Math.min(sorted.length - 1, i)];
    }
}
