// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.load.LoadedModel;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.retrieval.SparseFeatureEncoders;
import dev.lacuna.serve.EmbeddingServer;
import dev.lacuna.serve.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code lacuna serve}: the embedding HTTP server (docs/SERVER.md). Runs until SIGTERM or SIGINT, then
 * stops accepting, finishes in-flight requests and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve embeddings over HTTP: OpenAI /v1/embeddings and text-embeddings-inference routes (docs/SERVER.md).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    ServerOptionsMixin server;

    @Option(names = "--sae", paramLabel = "DIR", description = "a trained SAE over sentence embeddings: POST /embed_sparse with features=sae returns its latents")
    Path sae;

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown); // from the start: a signal during loading still ends in a clean exit
        if (sae != null) SparseFeatureEncoders.requireAvailable(sae);
        server.options(3, common.threads()); // bad options fail before the model loads
        LoadedModel lm = common.load();
        ServerOptions opt = server.options(lm.encoder().tokenizer().maxLength(), common.threads());
        SparseFeatureEncoder saeEnc = sae == null ? null : SparseFeatureEncoders.open(sae, lm.encoder().model().config().hiddenSize());
        EmbeddingServer.warmUp(lm.encoder(), opt.threads());
        try (EmbeddingServer s = EmbeddingServer.start(lm.name(), lm.source(), lm.encoder(), opt, saeEnc)) {
            s.announce(System.err);
            stop.await();
            System.err.println("lacuna serve: stopping (finishing in-flight requests)");
        }
        System.err.println("lacuna serve: stopped");
        return 0;
    }
}
