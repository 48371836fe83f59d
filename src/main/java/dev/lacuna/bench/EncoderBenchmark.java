package dev.lacuna.bench;

import dev.lacuna.kernel.Parallel;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Profile;
import dev.lacuna.model.SentenceEncoder;
import dev.lacuna.peer.OrtPeer;
import dev.lacuna.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Side-by-side throughput of Lacuna and (optionally) ONNX Runtime on the same batches, same threads,
 * one process: warm-up, then rounds in which both engines run the same batch back to back, the order
 * alternating between rounds. Tokenization is outside the timed part; batch assembly (packing for
 * Lacuna, padding for ONNX Runtime) is inside it.
 */
public final class EncoderBenchmark {
    /** Result of one engine. */
    public record EngineResult(double sentencesPerSecond, double medianBatchMs, int batches) {
        public String json() {
            return String.format(Locale.ROOT, "{\"sentences_per_s\":%.2f,\"median_batch_ms\":%.3f,\"batches\":%d}",
                    sentencesPerSecond, medianBatchMs, batches);
        }
    }

    public record Result(EngineResult lacuna, String peerName, EngineResult peer, Map<String, Double> profileMsPerBatch) {
        public Double ratio() {
            return peer == null ? null : lacuna.sentencesPerSecond() / peer.sentencesPerSecond();
        }
    }

    private final SentenceEncoder encoder;
    private final OrtPeer peer;
    private final Parallel par;
    private final List<int[][]> batches = new ArrayList<>();

    /** @param peer ONNX Runtime on the same model, or null for Lacuna alone */
    public EncoderBenchmark(SentenceEncoder encoder, OrtPeer peer, Parallel par, List<Encoding> texts, int batchSize) {
        this.encoder = encoder;
        this.peer = peer;
        this.par = par;
        for (int b = 0; b < texts.size(); b += batchSize) {
            int e = Math.min(texts.size(), b + batchSize);
            int[][] seqs = new int[e - b][];
            for (int i = b; i < e; i++) seqs[i - b] = texts.get(i).ids();
            batches.add(seqs);
        }
    }

    public Result run(double seconds, double warmupSeconds, boolean profile) {
        BatchTimer warmL = new BatchTimer(), warmP = new BatchTimer();
        int i = 0;
        while (warmL.totalNanos() + warmP.totalNanos() < warmupSeconds * 1e9 || warmL.batches() < 2) {
            int[][] b = batches.get(i++ % batches.size());
            warmL.add(timeLacuna(b), b.length);
            if (peer != null) warmP.add(timePeer(b), b.length);
        }
        BatchTimer lac = new BatchTimer(), ort = new BatchTimer();
        int round = 0;
        while (lac.totalNanos() + ort.totalNanos() < seconds * 1e9 || lac.batches() < 3) {
            int[][] b = batches.get(round % batches.size());
            if (peer == null || round % 2 == 0) {
                lac.add(timeLacuna(b), b.length);
                if (peer != null) ort.add(timePeer(b), b.length);
            } else {
                ort.add(timePeer(b), b.length);
                lac.add(timeLacuna(b), b.length);
            }
            round++;
        }
        Map<String, Double> prof = profile ? profile(Math.max(1, seconds / 4)) : null;
        return new Result(new EngineResult(lac.sentencesPerSecond(), lac.medianMs(), lac.batches()),
                peer == null ? null : peer.name(),
                peer == null ? null : new EngineResult(ort.sentencesPerSecond(), ort.medianMs(), ort.batches()), prof);
    }

    private long timeLacuna(int[][] seqs) {
        long t0 = System.nanoTime();
        encoder.embedBatch(par, Batch.of(seqs), Hooks.NONE);
        return System.nanoTime() - t0;
    }

    private long timePeer(int[][] seqs) {
        long t0 = System.nanoTime();
        peer.engine().embed(Batch.of(seqs), encoder.pooling());
        return System.nanoTime() - t0;
    }

    /** Milliseconds per batch spent in each part of Lacuna's forward pass. */
    private Map<String, Double> profile(double seconds) {
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
