// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.LacunaException;

/**
 * How the server listens and what it admits; validated here so that every entry point (CLI, tests,
 * {@code bench serve}) gets the same one-line errors.
 *
 * @param host                  address to bind (loopback by default)
 * @param port                  TCP port; 0 picks a free one
 * @param apiKey                when not null, every route but /health needs {@code Authorization: Bearer KEY}
 * @param maxBatchTokens        most tokens of one packed forward pass
 * @param maxConcurrentRequests embedding requests admitted at once (reading, queued or running); more get 429
 * @param maxInputTokens        most tokens of one input, special tokens included; longer ones get 413 unless truncated
 * @param maxBodyBytes          largest request body; larger ones get 413
 * @param bodyTimeoutMillis     a request body must arrive whole within this time, else the connection is dropped
 * @param idleTimeoutMillis     idle connections are closed after this time
 * @param drainTimeoutMillis    on stop, how long in-flight requests may take to finish
 * @param threads               worker threads of the forward pass
 * @param maxBatchWaitMillis    longest a lone request waits for a companion before its pass, while requests
 *                              keep arriving during passes (never for a single client waiting on its answers); 0: never
 */
public record ServerOptions(String host, int port, String apiKey, int maxBatchTokens, int maxConcurrentRequests,
                            int maxInputTokens, long maxBodyBytes, long bodyTimeoutMillis, long idleTimeoutMillis,
                            long drainTimeoutMillis, int threads, double maxBatchWaitMillis) {
    public static final int DEFAULT_MAX_BATCH_TOKENS = 8192;
    public static final int DEFAULT_MAX_CONCURRENT = 512;
    public static final long DEFAULT_MAX_BODY = 2L << 20;
    public static final double DEFAULT_MAX_BATCH_WAIT_MS = 3;

    public ServerOptions {
        if (host == null || host.isBlank()) throw new LacunaException("--host must not be empty");
        if (port < 0 || port > 65535) throw new LacunaException("--port must be between 0 and 65535, got " + port);
        if (apiKey != null && apiKey.isBlank()) throw new LacunaException("--api-key must not be empty");
        if (maxBatchTokens < 1) throw new LacunaException("--max-batch-tokens must be >= 1, got " + maxBatchTokens);
        if (maxConcurrentRequests < 1) throw new LacunaException("--max-concurrent-requests must be >= 1, got " + maxConcurrentRequests);
        if (maxInputTokens < 3) throw new LacunaException("--max-input-tokens must be >= 3 (two special tokens and one more), got " + maxInputTokens);
        if (maxInputTokens > maxBatchTokens) {
            throw new LacunaException("--max-input-tokens (" + maxInputTokens + ") must not exceed --max-batch-tokens (" + maxBatchTokens + ")");
        }
        if (maxBodyBytes < 1) throw new LacunaException("--max-body-bytes must be >= 1, got " + maxBodyBytes);
        if (bodyTimeoutMillis < 1) throw new LacunaException("body timeout must be >= 1 ms, got " + bodyTimeoutMillis);
        if (idleTimeoutMillis < 1) throw new LacunaException("idle timeout must be >= 1 ms, got " + idleTimeoutMillis);
        if (drainTimeoutMillis < 0) throw new LacunaException("drain timeout must be >= 0 ms, got " + drainTimeoutMillis);
        if (threads < 1 || threads > 1024) throw new LacunaException("--threads must be between 1 and 1024, got " + threads);
        if (!(maxBatchWaitMillis >= 0 && maxBatchWaitMillis <= 1000)) {
            throw new LacunaException("--max-batch-wait-ms must be between 0 and 1000, got " + maxBatchWaitMillis);
        }
    }

    /** Defaults on loopback, for {@code maxInputTokens} (the model's limit) and {@code threads}. */
    public static ServerOptions defaults(int maxInputTokens, int threads) {
        return new ServerOptions("127.0.0.1", 8080, null, Math.max(DEFAULT_MAX_BATCH_TOKENS, maxInputTokens), DEFAULT_MAX_CONCURRENT,
                maxInputTokens, DEFAULT_MAX_BODY, 30_000, 30_000, 30_000, threads, DEFAULT_MAX_BATCH_WAIT_MS);
    }

    public ServerOptions withPort(int p) {
        return new ServerOptions(host, p, apiKey, maxBatchTokens, maxConcurrentRequests, maxInputTokens, maxBodyBytes,
                bodyTimeoutMillis, idleTimeoutMillis, drainTimeoutMillis, threads, maxBatchWaitMillis);
    }

    public ServerOptions withApiKey(String k) {
        return new ServerOptions(host, port, k, maxBatchTokens, maxConcurrentRequests, maxInputTokens, maxBodyBytes,
                bodyTimeoutMillis, idleTimeoutMillis, drainTimeoutMillis, threads, maxBatchWaitMillis);
    }

    public ServerOptions withLimits(int batchTokens, int concurrent, int inputTokens, long bodyBytes) {
        return new ServerOptions(host, port, apiKey, batchTokens, concurrent, inputTokens, bodyBytes,
                bodyTimeoutMillis, idleTimeoutMillis, drainTimeoutMillis, threads, maxBatchWaitMillis);
    }

    public ServerOptions withTimeouts(long bodyMillis, long idleMillis, long drainMillis) {
        return new ServerOptions(host, port, apiKey, maxBatchTokens, maxConcurrentRequests, maxInputTokens, maxBodyBytes,
                bodyMillis, idleMillis, drainMillis, threads, maxBatchWaitMillis);
    }
}
