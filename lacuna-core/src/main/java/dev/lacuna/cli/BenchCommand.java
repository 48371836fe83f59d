// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.eval.Stsb;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.io.TextLines;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.peer.OrtPeer;
import dev.lacuna.tokenizer.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lacuna bench}: sentences/s of Lacuna, and of ONNX Runtime side by side with {@code --peer}. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchKernelCommand.class, BenchPeakCommand.class, BenchGemmCommand.class, BenchServeCommand.class},
        description = "Throughput of the encoder, optionally side by side with ONNX Runtime. Last stdout line is JSON.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--texts", paramLabel = "FILE",
            description = "texts: one per line, or an STS-B .csv (both sentences of each pair are used); default: 2,000 English Europarl sentences embedded in the jar")
    Path texts;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "sentences per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "measured seconds, all engines together (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "S", description = "warm-up seconds (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--peer", paramLabel = "P", description = "onnxruntime or onnxruntime-int8")
    String peer;

    @Option(names = "--profile", description = "also report milliseconds per batch in each part of the forward pass")
    boolean profile;

    @Option(names = "--max-chars", defaultValue = "50000", paramLabel = "N", description = "reject longer lines (default: ${DEFAULT-VALUE})")
    int maxChars;

    @Override
    public Integer call() {
        if (batch < 1) throw new LacunaException("--batch must be >= 1, got " + batch);
        if (!(seconds > 0)) throw new LacunaException("--seconds must be > 0, got " + seconds);
        if (warmup < 0) throw new LacunaException("--warmup must be >= 0, got " + warmup);
        if (peer != null && !peer.equals("onnxruntime") && !peer.equals("onnxruntime-int8")) {
            throw new LacunaException("unknown --peer '" + peer + "' (onnxruntime, onnxruntime-int8)");
        }
        List<String> lines = texts == null ? EmbeddedText.englishSentences(0, 2000)
                : texts.toString().endsWith(".csv") ? Stsb.sentences(Stsb.read(texts)) : TextLines.read(texts, maxChars);
        LoadedModel lm = common.load();
        long tok0 = System.nanoTime();
        List<Encoding> enc = lm.encoder().tokenize(lines);
        double tokMsPerBatch = (System.nanoTime() - tok0) / 1e6 / Math.ceil(lines.size() / (double) batch);
        double meanTokens = enc.stream().mapToInt(Encoding::length).average().orElse(0);
        int threads = common.threads();
        List<EncoderBenchmark.EngineResult> res;
        Map<String, Double> prof = null;
        try (Parallel par = new Parallel(threads); OrtPeer p = peer == null ? null : lm.peer(peer, threads)) {
            EncoderBenchmark bench = new EncoderBenchmark(enc, batch);
            List<EncoderBenchmark.Engine> engines = new java.util.ArrayList<>();
            engines.add(EncoderBenchmark.lacuna("lacuna", lm.encoder(), par));
            if (p != null) engines.add(EncoderBenchmark.peer(p, lm.encoder()));
            res = bench.run(engines, seconds, warmup);
            if (profile) prof = bench.profile(lm.encoder(), par, Math.max(1, seconds / 4));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("{\"model\":\"").append(lm.name()).append('"');
        sb.append(String.format(Locale.ROOT, ",\"batch\":%d,\"threads\":%d,\"texts\":%d,\"mean_tokens\":%.2f", batch, threads, lines.size(), meanTokens));
        for (EncoderBenchmark.EngineResult e : res) sb.append(",\"").append(e.name()).append("\":").append(e.json());
        if (res.size() > 1) {
            sb.append(String.format(Locale.ROOT, ",\"ratio\":%.4f", res.get(0).sentencesPerSecond() / res.get(1).sentencesPerSecond()));
        }
        if (prof != null) {
            sb.append(String.format(Locale.ROOT, ",\"profile_ms_per_batch\":{\"tokenization\":%.3f", tokMsPerBatch));
            for (Map.Entry<String, Double> e : prof.entrySet()) {
                sb.append(String.format(Locale.ROOT, ",\"%s\":%.3f", e.getKey(), e.getValue()));
            }
            sb.append('}');
        }
        sb.append('}');
        System.out.println(sb);
        return 0;
    }
}
