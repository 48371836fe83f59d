// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.serve.ServerOptions;
import picocli.CommandLine.Option;

/** The options of {@code lacuna serve} (also used by {@code bench serve}), checked by {@link ServerOptions}. */
final class ServerOptionsMixin {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR", description = "address to bind (default: ${DEFAULT-VALUE}, loopback only)")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "N", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", description = "require 'Authorization: Bearer KEY' on every route but /health (default: env LACUNA_API_KEY, else none)")
    String apiKey;

    @Option(names = "--max-batch-tokens", paramLabel = "N", description = "most tokens of one packed forward pass (default: "
            + ServerOptions.DEFAULT_MAX_BATCH_TOKENS + ")")
    Integer maxBatchTokens;

    @Option(names = "--max-concurrent-requests", defaultValue = "" + ServerOptions.DEFAULT_MAX_CONCURRENT, paramLabel = "N",
            description = "embedding requests admitted at once; more get 429 with Retry-After (default: ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--max-input-tokens", paramLabel = "N", description = "most tokens of one input; longer ones get 413 unless the request sets truncate (default: the model's maximum)")
    Integer maxInputTokens;

    @Option(names = "--max-body-bytes", defaultValue = "" + ServerOptions.DEFAULT_MAX_BODY, paramLabel = "N",
            description = "largest request body; larger ones get 413 (default: ${DEFAULT-VALUE})")
    long maxBodyBytes;

    @Option(names = "--body-timeout", defaultValue = "30", paramLabel = "S", description = "seconds a request body may take to arrive (default: ${DEFAULT-VALUE})")
    double bodyTimeout;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "S", description = "seconds before an idle connection is closed (default: ${DEFAULT-VALUE})")
    double idleTimeout;

    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "S", description = "seconds in-flight requests may take to finish on stop (default: ${DEFAULT-VALUE})")
    double drainTimeout;

    @Option(names = "--max-batch-wait-ms", defaultValue = "" + ServerOptions.DEFAULT_MAX_BATCH_WAIT_MS, paramLabel = "MS",
            description = "while requests keep arriving during forward passes, a lone request waits up to one pass time, at most this long, "
                    + "for a companion to share its pass; a single client waiting on its answers never waits; 0: never (default: ${DEFAULT-VALUE})")
    double maxBatchWaitMs;

    /**
     * The options for a model taking at most {@code modelMaxTokens} tokens (the default of
     * --max-input-tokens); a small value checks everything else before a model is loaded.
     */
    ServerOptions options(int modelMaxTokens, int threads) {
        String key = apiKey != null ? apiKey : System.getenv("LACUNA_API_KEY");
        if (key != null && key.isEmpty() && apiKey == null) key = null;
        int input = maxInputTokens != null ? maxInputTokens : modelMaxTokens;
        int batch = maxBatchTokens != null ? maxBatchTokens : Math.max(ServerOptions.DEFAULT_MAX_BATCH_TOKENS, input);
        return new ServerOptions(host, port, key, batch, maxConcurrent, input, maxBodyBytes,
                millis("--body-timeout", bodyTimeout), millis("--idle-timeout", idleTimeout), millis("--drain-timeout", drainTimeout), threads, maxBatchWaitMs);
    }

    private static long millis(String option, double seconds) {
        if (!(seconds > 0) || seconds > 86_400) throw new dev.lacuna.LacunaException(option + " must be in (0, 86400] seconds, got " + seconds);
        return Math.max(1, Math.round(seconds * 1000));
    }
}
