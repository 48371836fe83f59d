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
                         double offlineBatch1Ms, OpenLoop halfRate, double sequencesPerPass, double passMs, double jitMs) {
        public double ratio() {
            return sentencesPerSecond / offlineSentencesPerSecond;
        }

        public String summary() {
            String s = String.format(Locale.ROOT, "served: %.1f sentences/s with %d clients (p50 %.2f ms, p99 %.2f ms, %d requests, %d errors; "
                            + "forward passes of %.1f sentences taking %.2f ms on average; JIT compiling %.0f ms of the %.1f s); offline: %.1f sentences/s (%.1f before the served window, %.1f after), batch-1 %.2f ms; ratio %.3f",
                    sentencesPerSecond, clients, p50Ms, p99Ms, requests, errors, sequencesPerPass, passMs, jitMs, seconds, offlineSentencesPerSecond,
                    offlineBefore, offlineAfter, offlineBatch1Ms, ratio());
            if (halfRate != null) {
                s += String.format(Locale.ROOT, "; at half that rate (%.1f requests/s, open loop): p50 %.2f ms, p99 %.2f ms, p99/p50 %.2f, %d errors",
                        halfRate.rate(), halfRate.p50Ms(), halfRate.p99Ms(), halfRate.p99Ms() / halfRate.p50Ms(), halfRate.errors());
            }
            return s;
        }

        public String json() {
            return String.format(Locale.ROOT, "{\"clients\":%d,\"inputs_per_request\":%d,\"requests\":%d,\"errors\":%d,\"seconds\":%.2f,"
                            + "\"sentences_per_s\":%.2f,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"offline_sentences_per_s\":%.2f,\"offline_before\":%.2f,\"offline_after\":%.2f,"
                            + "\"offline_batch1_ms\":%.3f,\"ratio\":%.4f,\"sequences_per_pass\":%.2f,\"pass_ms\":%.3f,\"jit_ms\":%.0f}",
                    clients, perRequest, requests, errors, seconds, sentencesPerSecond, p50Ms, p99Ms,
                    offlineSentencesPerSecond, offlineBefore, offlineAfter, offlineBatch1Ms, ratio(), sequencesPerPass, passMs, jitMs).replaceFirst("}$", halfRate == null ? "}" : ",\"half_rate\":" + halfRate.json() + "}");
        }
    }

    /** Requests sent at a fixed rate whatever the responses (open loop): latency from the scheduled send to the response. */
    public record OpenLoop(double rate, long requests, long errors, double p50Ms, double p99Ms) {
        public String json() {
            return String.format(Locale.ROOT, "{\"rate\":%.2f,\"requests\":%d,\"errors\":%d,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"p99_over_p50\":%.3f}",
                    rate, requests, errors, p50Ms, p99Ms, p99Ms / p50Ms);
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
        return run(name, source, encoder, opt, texts, clients, perRequest, offlineBatch, seconds, warmupSeconds, warmupSeconds, halfRate);
    }

    /**
     * As above, the server warmed by the same closed-loop load for {@code serveWarmupSeconds} (offline
     * engines for {@code warmupSeconds}): the HTTP path needs much longer than the forward pass before
     * the JIT is done with it (on 2 cores, 0.59 of offline after 3 s, 0.87 after 25 s; docs/BENCHMARKS.md).
     */
    public static Result run(String name, String source, SentenceEncoder encoder, ServerOptions opt, List<String> texts,
                             int clients, int perRequest, int offlineBatch, double seconds, double warmupSeconds,
                             double serveWarmupSeconds, boolean halfRate) throws InterruptedException {
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
                load(s, texts, clients, perRequest, serveWarmupSeconds, null);
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
                    // the open-loop sender's own path (its executor hand-off) is compiled apart from the closed
                    // loop's: a few seconds of it first, not measured
                    openLoop(s, texts, perRequest, n / took / 2, Math.min(OPEN_LOOP_WARMUP_SECONDS, seconds));
                    half = openLoop(s, texts, perRequest, n / took / 2, seconds);
                }
                return new Result(clients, perRequest, n, errors.get(), took, (n - errors.get()) * perRequest / took,
                        percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6, (before + after) / 2, before, after, batch1Ms, half,
                        passes.sequences() / Math.max(1, passes.count()), passes.seconds() * 1e3 / Math.max(1, passes.count()), jit < 0 ? Double.NaN : jit);
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

    /** Connections of the open-loop sender: requests beyond this many outstanding wait for one (and their wait counts). */
    private static final int OPEN_LOOP_CONNECTIONS = 64;
    /** Seconds of open-loop load sent, and not measured, before the half-rate window. */
    static final double OPEN_LOOP_WARMUP_SECONDS = 5;

    /** Sends {@code rate} requests per second, evenly spaced, for {@code seconds}, not waiting for answers. */
    static OpenLoop openLoop(EmbeddingServer s, List<String> texts, int perRequest, double rate, double seconds) throws InterruptedException {
        return openLoop(s, texts, perRequest, rate, seconds, null);
    }

    /**
     * As above; {@code latencies}, when not null, receives each request's latency in ns (request i
     * scheduled at i / rate s). The sender's threads and connections are all opened before the first
     * request, as wrk does: opened on demand, the first 64 requests each paid a thread start and a TCP
     * connect, which put the first half second of a 10 s window at 3x the latency of the rest.
     */
    static OpenLoop openLoop(EmbeddingServer s, List<String> texts, int perRequest, double rate, double seconds, long[][] latencies)
            throws InterruptedException {
        if (!(rate > 0)) throw new LacunaException("bench serve: no requests were answered, so there is no rate to halve");
        ObjectMapper json = new ObjectMapper();
        URI base = URI.create(s.baseUrl());
        int total = (int) Math.max(1, Math.min(1 << 20, rate * seconds));
        long[] lat = new long[total];
        if (latencies != null) latencies[0] = lat;
        AtomicLong errors = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(total);
        long period = (long) (1e9 / rate);
        java.util.concurrent.BlockingQueue<LoadClient> idle = new java.util.concurrent.ArrayBlockingQueue<>(OPEN_LOOP_CONNECTIONS);
        List<LoadClient> all = new ArrayList<>();
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(OPEN_LOOP_CONNECTIONS, OPEN_LOOP_CONNECTIONS,
                0, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>());
        try {
            pool.prestartAllCoreThreads();
            for (int c = 0; c < OPEN_LOOP_CONNECTIONS; c++) {
                LoadClient client = new LoadClient(base, "/v1/embeddings");
                all.add(client);
                try {
                    client.open();
                } catch (java.io.IOException e) {
                    throw new LacunaException("bench serve: cannot connect to " + base + " (" + e.getMessage() + ")");
                }
                idle.add(client);
            }
            long t0 = System.nanoTime() + 10_000_000L;
            for (int i = 0; i < total; i++) {
                long at = t0 + i * period;
                for (long wait; (wait = at - System.nanoTime()) > 0; ) java.util.concurrent.locks.LockSupport.parkNanos(wait);
                byte[] body = request(json, texts, perRequest, next);
                int k = i;
                pool.execute(() -> {
                    int status;
                    LoadClient c = null;
                    try {
                        c = idle.take();
                        status = c.post(body);
                    } catch (java.io.IOException | InterruptedException e) {
                        status = -1;
                    } finally {
                        if (c != null) idle.add(c);
                    }
                    lat[k] = System.nanoTime() - at; // from the scheduled send: a late send counts as waiting
                    if (status != 200) errors.incrementAndGet();
                    done.countDown();
                });
            }
            if (!done.await(120, java.util.concurrent.TimeUnit.SECONDS)) throw new LacunaException("bench serve: open-loop requests did not finish within 120 s");
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            for (LoadClient c : all) c.close();
        }
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        return new OpenLoop(rate, total, errors.get(), percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = Math.max(0, (int) Math.ceil(p * sorted.length) - 1);
        return sorted[Math.min(sorted.length - 1, i)];
    }
}
