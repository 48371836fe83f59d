// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.eval.Stsb;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lab (not a test): where the open-loop tail of {@code bench serve --half-rate} comes from.
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     dev.lacuna.serve.HalfRateLab ../shared/data/stsb/stsb-en-dev.csv WARMUP_S SECONDS OUT.csv [FRACTION]
 * </pre>
 * Warms the server with 32 closed-loop clients, measures their rate for SECONDS, then sends FRACTION
 * (default 0.5) of it open loop for SECONDS and writes one row per request (scheduled send in ms,
 * latency in ms) to OUT.csv; prints p50/p99 and how the slow requests (> 3x p50) cluster in time.
 */
public final class HalfRateLab {
    private HalfRateLab() {}

    /** Prints the percentiles of a Prometheus histogram's growth between two scrapes (bucket upper bounds, ms). */
    static void histogram(String what, String prefix, String before, String after) {
        java.util.TreeMap<Double, Long> b = buckets(prefix, before), a = buckets(prefix, after);
        long total = a.lastEntry().getValue() - b.lastEntry().getValue();
        StringBuilder sb = new StringBuilder(what + " (" + total + "):");
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            for (var e : a.entrySet()) {
                if (e.getValue() - b.getOrDefault(e.getKey(), 0L) >= q * total) {
                    sb.append(String.format(Locale.ROOT, " p%s <= %.2f ms", String.valueOf(q * 100).replace(".0", ""), e.getKey() * 1e3));
                    break;
                }
            }
        }
        System.out.println(sb);
    }

    private static java.util.TreeMap<Double, Long> buckets(String prefix, String scrape) {
        java.util.TreeMap<Double, Long> m = new java.util.TreeMap<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(prefix)) continue;
            int le = line.indexOf("le=\"") + 4;
            String bound = line.substring(le, line.indexOf('"', le));
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            m.put(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound), (long) v);
        }
        return m;
    }

    public static void main(String[] args) throws Exception {
        List<String> texts = Stsb.sentences(Stsb.read(Path.of(args[0])));
        if (!Boolean.getBoolean("lab.fileOrder")) texts = ServeBenchmark.mixed(texts);
        double warm = Double.parseDouble(args[1]), seconds = Double.parseDouble(args[2]);
        Path out = Path.of(args[3]);
        double fraction = args.length > 4 ? Double.parseDouble(args[4]) : 0.5;
        double openWarm = args.length > 5 ? Double.parseDouble(args[5]) : 0;
        LoadedModel lm = ModelLoader.load("default");
        EmbeddingServer.warmUp(lm.encoder(), 2);
        ServerOptions opt = ServerOptions.defaults(lm.encoder().tokenizer().maxLength(), 2).withPort(0);
        try (EmbeddingServer s = EmbeddingServer.start(lm.name(), lm.source(), lm.encoder(), opt, null)) {
            ServeBenchmark.load(s, texts, 32, 1, warm, null);
            long t0 = System.nanoTime();
            int n = ServeBenchmark.load(s, texts, 32, 1, seconds, new ServeBenchmark.Recorder(new long[1 << 20], new AtomicLong()));
            double rate = n / ((System.nanoTime() - t0) / 1e9) * fraction;
            System.out.printf(Locale.ROOT, "saturated %.1f requests/s%n", rate / fraction);
            if (System.getProperty("lab.rate") != null) rate = Double.parseDouble(System.getProperty("lab.rate")); // a fixed rate, to compare runs
            if (openWarm > 0) {
                long j0 = ServeBenchmark.jitMillis();
                ServeBenchmark.OpenLoop w = ServeBenchmark.openLoop(s, texts, 1, rate, openWarm);
                System.out.printf(Locale.ROOT, "open-loop warm-up %.0f s: p50 %.2f ms, p99 %.2f ms, JIT %d ms%n", openWarm, w.p50Ms(), w.p99Ms(), ServeBenchmark.jitMillis() - j0);
            }
            long jit0 = ServeBenchmark.jitMillis();
            System.out.printf(Locale.ROOT, "measured open loop from JVM uptime %d ms%n", java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
            ServerMetrics.Passes before = s.passes();
            String scrape0 = s.metricsText();
            long[][] lat = new long[1][];
            ServeBenchmark.OpenLoop r = ServeBenchmark.openLoop(s, texts, 1, rate, seconds, lat);
            ServerMetrics.Passes p = s.passes().minus(before);
            System.out.printf(Locale.ROOT, "JIT during the measured open loop: %d ms%n", ServeBenchmark.jitMillis() - jit0);
            String scrape1 = s.metricsText();
            histogram("forward pass", "lacuna_forward_pass_seconds_bucket{", scrape0, scrape1);
            histogram("server-side /v1/embeddings", "lacuna_http_request_duration_seconds_bucket{route=\"/v1/embeddings\",", scrape0, scrape1);
            StringBuilder sb = new StringBuilder("sent_ms,latency_ms\n");
            for (int i = 0; i < lat[0].length; i++) sb.append(String.format(Locale.ROOT, "%.3f,%.3f%n", i * 1e3 / rate, lat[0][i] / 1e6));
            Files.writeString(out, sb);
            System.out.printf(Locale.ROOT, "rate %.1f/s: p50 %.2f ms, p99 %.2f ms, p99/p50 %.2f; passes %d of %.2f sequences, %.3f ms each, busy %.0f%%%n",
                    rate, r.p50Ms(), r.p99Ms(), r.p99Ms() / r.p50Ms(), p.count(), p.sequences() / p.count(), p.seconds() * 1e3 / p.count(),
                    100 * p.seconds() / seconds);
            long[] sorted = lat[0].clone();
            Arrays.sort(sorted);
            double slow = 3 * r.p50Ms();
            int episodes = 0, slowCount = 0;
            double lastSlow = -1e9;
            for (int i = 0; i < lat[0].length; i++) {
                if (lat[0][i] / 1e6 <= slow) continue;
                slowCount++;
                double at = i * 1e3 / rate;
                if (at - lastSlow > 20) {
                    episodes++;
                    System.out.printf(Locale.ROOT, "  slow episode from %.1f ms: latency %.1f ms%n", at, lat[0][i] / 1e6);
                }
                lastSlow = at;
            }
            System.out.printf(Locale.ROOT, "%d requests slower than %.2f ms (%.2f%%) in %d episodes%n", slowCount, slow, 100.0 * slowCount / lat[0].length, episodes);
        }
    }
}
