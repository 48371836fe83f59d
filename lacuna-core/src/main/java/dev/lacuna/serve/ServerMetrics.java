// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The server's meters in Prometheus format ({@code GET /metrics}): requests by route and status,
 * latency histograms by route, queue depth, in-flight requests, sequences and tokens per forward pass,
 * and tokens embedded (whose {@code rate()} is tokens/s).
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchTokens;
    private final DistributionSummary batchSequences;
    private final Timer passTime;
    private final Counter tokens;

    ServerMetrics(Supplier<Number> queuedSequences, AtomicLong inFlight) {
        Gauge.builder("lacuna_queue_sequences", queuedSequences).description("sequences waiting for a forward pass").register(registry);
        Gauge.builder("lacuna_requests_in_flight", inFlight, AtomicLong::get).description("embedding requests admitted and not yet answered").register(registry);
        batchTokens = DistributionSummary.builder("lacuna_batch_tokens").description("tokens per forward pass")
                .serviceLevelObjectives(16, 64, 256, 1024, 4096, 16384).register(registry);
        batchSequences = DistributionSummary.builder("lacuna_batch_sequences").description("sequences per forward pass")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(registry);
        passTime = Timer.builder("lacuna_forward_pass").description("time of one packed forward pass")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        tokens = Counter.builder("lacuna_tokens").description("tokens embedded; rate() is tokens per second").register(registry);
    }

    void onPass(int sequences, int tokenCount, long nanos) {
        batchSequences.record(sequences);
        batchTokens.record(tokenCount);
        passTime.record(Duration.ofNanos(nanos));
        tokens.increment(tokenCount);
    }

    /** Forward passes so far: their number, the sequences they ran, and their total time in seconds. */
    record Passes(long count, double sequences, double seconds) {
        Passes minus(Passes before) {
            return new Passes(count - before.count, sequences - before.sequences, seconds - before.seconds);
        }
    }

    Passes passes() {
        return new Passes(passTime.count(), batchSequences.totalAmount(), passTime.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9);
    }

    void onRequest(String route, int status, long nanos) {
        registry.counter("lacuna_http_requests", "route", route, "status", Integer.toString(status)).increment();
        Timer.builder("lacuna_http_request_duration").description("time from the request's arrival to its response, by route")
                .tag("route", route).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    String scrape() {
        return registry.scrape();
    }
}
