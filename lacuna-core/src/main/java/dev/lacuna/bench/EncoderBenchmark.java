// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.bench;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Profile;
import dev.lacuna.peer.OrtPeer;
import dev.lacuna.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Side-by-side throughput of several engines (Lacuna models, ONNX Runtime sessions) on the same
 * batches with the same threads in one process: warm-up, then rounds in which every engine runs the
 * same batch, in orders from a balanced Latin square (Williams 1949), so that every engine follows
 * every other equally often: an engine pays for what ran just before it (ONNX Runtime's spinning
 * pool threads, evicted caches), and a plain rotation always gave the same engine the same
 * predecessor (it measured two identical models 6-11% apart). Tokenization is outside the timed part; batch
 * assembly (packing for Lacuna, padding for ONNX Runtime) is inside it.
 */
public final class EncoderBenchmark {
    /** Something that embeds one batch of token id sequences. */
    public interface Engine {
        String name();

        void run(int[][] sequences);
    }

    /** Lacuna running {@code encoder} on {@code par}. */
    public static Engine lacuna(String name, SentenceEncoder encoder, Parallel par) {
        return new Engine() {
            public String name() {
                return name;
            }

            public void run(int[][] seqs) {
                encoder.embedBatch(par, Batch.of(seqs), Hooks.NONE);
            }
        };
    }

    /** ONNX Runtime, pooling as {@code encoder} does. */
    public static Engine peer(OrtPeer peer, SentenceEncoder encoder) {
        return new Engine() {
            public String name() {
                return peer.name();
            }

            public void run(int[][] seqs) {
                peer.engine().embed(Batch.of(seqs), encoder.pooling());
            }
        };
    }

    /** Result of one engine. */
    public record EngineResult(String name, double sentencesPerSecond, double medianBatchMs, int batches) {
        public String json() {
            return String.format(Locale.ROOT, "{\"sentences_per_s\":%.2f,\"median_batch_ms\":%.3f,\"batches\":%d}",
                    sentencesPerSecond, medianBatchMs, batches);
        }
    }

    private final List<int[][]> batches = new ArrayList<>();

    /** Splits {@code texts} into consecutive batches of {@code batchSize}. */
    public EncoderBenchmark(List<Encoding> texts, int batchSize) {
        for (int b = 0; b < texts.size(); b += batchSize) {
            int e = Math.min(texts.size(), b + batchSize);
            int[][] seqs = new int[e - b][];
            for (int i = b; i < e; i++) seqs[i - b] = texts.get(i).ids();
            batches.add(seqs);
        }
    }

    /** Runs the engines side by side; results in the order given. */
    public List<EngineResult> run(List<Engine> engines, double seconds, double warmupSeconds) {
        int n = engines.size();
        BatchTimer[] warm = new BatchTimer[n], timers = new BatchTimer[n];
        for (int e = 0; e < n; e++) {
            warm[e] = new BatchTimer();
            timers[e] = new BatchTimer();
        }
        long w0 = System.nanoTime();
        int i = 0;
        while (System.nanoTime() - w0 < warmupSeconds * 1e9 || i < 2) {
            int[][] b = batches.get(i++ % batches.size());
            for (int e = 0; e < n; e++) warm[e].add(time(engines.get(e), b), b.length);
        }
        int[][] orders = balancedOrders(n);
        long t0 = System.nanoTime();
        int round = 0;
        while (System.nanoTime() - t0 < seconds * 1e9 || round < Math.max(3, orders.length)) {
            int[][] b = batches.get(round % batches.size());
            for (int e : orders[round % orders.length]) timers[e].add(time(engines.get(e), b), b.length);
            round++;
        }
        List<EngineResult> out = new ArrayList<>(n);
        for (int e = 0; e < n; e++) {
            out.add(new EngineResult(engines.get(e).name(), timers[e].sentencesPerSecond(), timers[e].medianMs(), timers[e].batches()));
        }
        return out;
    }

    /**
     * Orders of 0..n-1 in which each engine comes first equally often and each ordered pair (a, b)
     * appears as neighbours (a just before b) equally often: Williams' design, n rows for even n
     * (first row 0, 1, n-1, 2, n-2, ..., then add r mod n), these and their reverses for odd n.
     */
    static int[][] balancedOrders(int n) {
        if (n < 1) throw new IllegalArgumentException("engines: " + n);
        int[] first = new int[n];
        for (int j = 0, lo = 1, hi = n - 1; j < n; j++) first[j] = j == 0 ? 0 : (j % 2 == 1 ? lo++ : hi--);
        int rows = n % 2 == 0 ? n : 2 * n;
        int[][] out = new int[rows][n];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) out[r][j] = (first[j] + r) % n;
            if (n % 2 == 1) for (int j = 0; j < n; j++) out[n + r][j] = out[r][n - 1 - j];
        }
        return out;
    }

    private static long time(Engine e, int[][] b) {
        long t0 = System.nanoTime();
        e.run(b);
        return System.nanoTime() - t0;
    }

    /** Milliseconds per batch spent in each part of Lacuna's forward pass, over about {@code seconds}. */
    public Map<String, Double> profile(SentenceEncoder encoder, Parallel par, double seconds) {
        Profile p = new Profile();
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < seconds * 1e9 || n < 3) {
            int[][] seqs = batches.get(n % batches.size());
            long a = System.nanoTime();
            Batch b = Batch.of(seqs);
            p.add("packing", System.nanoTime() - a);
            float[] h = encoder.model().forward(par, b, Hooks.NONE, p);
            long c = System.nanoTime();
            encoder.pooling().pool(h, encoder.model().config().hiddenSize(), b.seqStarts(), true);
            p.add("pooling", System.nanoTime() - c);
            n++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (var e : p.nanos().entrySet()) out.put(e.getKey(), e.getValue() / 1e6 / n);
        return out;
    }
}
