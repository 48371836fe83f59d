// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.eval.Stsb;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.io.TextLines;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.serve.ServeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lacuna bench serve}: the embedding server under load over loopback, beside offline throughput. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Load the embedding server in-process over loopback: throughput, p50/p99 latency and the ratio to offline throughput. Last stdout line is JSON.")
public final class BenchServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ServerOptionsMixin server;

    @Option(names = "--texts", paramLabel = "FILE",
            description = "texts: one per line, or an STS-B .csv (both sentences of each pair); default: 2,000 English Europarl sentences embedded in the jar")
    Path texts;

    @Option(names = "--clients", defaultValue = "32", paramLabel = "N", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--inputs-per-request", defaultValue = "1", paramLabel = "N", description = "texts per request (default: ${DEFAULT-VALUE})")
    int perRequest;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "offline batch size compared with (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "measured seconds, served and offline each (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "S", description = "warm-up seconds (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--serve-warmup", defaultValue = "20", paramLabel = "S",
            description = "least seconds of the same load on the server before it is measured: the JIT compiles the HTTP path for much longer than the forward pass (default: ${DEFAULT-VALUE})")
    double serveWarmup;

    @Option(names = "--serve-warmup-max", defaultValue = "120", paramLabel = "S",
            description = "after --serve-warmup, go on warming in 5 s chunks until the JIT spends under 2% of one, for at most this many seconds in all (default: ${DEFAULT-VALUE}; the --serve-warmup value: a fixed warm-up)")
    double serveWarmupMax;

    @Option(names = "--half-rate", description = "then send requests open loop at half the saturated rate and report their p50/p99")
    boolean halfRate;

    @Option(names = "--max-chars", defaultValue = "50000", paramLabel = "N", description = "reject longer lines (default: ${DEFAULT-VALUE})")
    int maxChars;

    @Override
    public Integer call() throws InterruptedException {
        if (batch < 1) throw new LacunaException("--batch must be >= 1, got " + batch);
        if (!(seconds > 0)) throw new LacunaException("--seconds must be > 0, got " + seconds);
        if (warmup < 0) throw new LacunaException("--warmup must be >= 0, got " + warmup);
        if (serveWarmup < 0) throw new LacunaException("--serve-warmup must be >= 0, got " + serveWarmup);
        if (serveWarmupMax < serveWarmup) throw new LacunaException("--serve-warmup-max must be >= --serve-warmup (" + serveWarmup + "), got " + serveWarmupMax);
        if (clients < 1) throw new LacunaException("--clients must be >= 1, got " + clients);
        if (perRequest < 1) throw new LacunaException("--inputs-per-request must be >= 1, got " + perRequest);
        server.options(3, common.threads());
        List<String> lines = texts == null ? EmbeddedText.englishSentences(0, 2000)
                : texts.toString().endsWith(".csv") ? Stsb.sentences(Stsb.read(texts)) : TextLines.read(texts, maxChars);
        LoadedModel lm = common.load();
        var opt = server.options(lm.encoder().tokenizer().maxLength(), common.threads());
        ServeBenchmark.Result r = ServeBenchmark.run(lm.name(), lm.source(), lm.encoder(), opt, lines, clients, perRequest, batch, seconds, warmup, serveWarmup, serveWarmupMax, halfRate);
        System.out.println(r.summary());
        System.out.println("{\"model\":\"" + lm.name() + "\",\"threads\":" + opt.threads() + ",\"texts\":" + lines.size() + ",\"serve\":" + r.json() + "}");
        return 0;
    }
}
