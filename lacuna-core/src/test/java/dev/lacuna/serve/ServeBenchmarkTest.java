// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.io.EmbeddedText;
import dev.lacuna.load.LoadedModel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna bench serve}'s measurement runs end to end: closed-loop clients, then open loop at half their rate. Speed is not asserted. */
class ServeBenchmarkTest {
    @Test
    void closedLoopThenHalfRateOpenLoop() throws Exception {
        LoadedModel lm = ServerFixture.model();
        ServeBenchmark.Result r = ServeBenchmark.run(lm.name(), lm.source(), lm.encoder(), ServerFixture.options(),
                EmbeddedText.englishSentences(0, 64), 4, 2, 8, 0.5, 0.2, true);
        assertTrue(r.requests() > 0);
        assertEquals(0, r.errors());
        assertTrue(r.sentencesPerSecond() > 0 && r.offlineSentencesPerSecond() > 0 && r.offlineBatch1Ms() > 0);
        // the passes counted are those of the measured load: at least one sentence each, and no more passes than sentences
        assertTrue(r.sequencesPerPass() >= 1 && r.passMs() > 0, r.json());
        assertTrue(r.json().contains("\"sequences_per_pass\":") && r.json().contains("\"pass_ms\":") && r.json().contains("\"jit_ms\":"), r.json());
        assertTrue(r.jitMs() >= 0, "HotSpot reports its compile time: " + r.jitMs());
        assertNotNull(r.halfRate());
        assertEquals(0, r.halfRate().errors());
        assertEquals(r.requests() / r.seconds() / 2, r.halfRate().rate(), 1e-6);
        assertTrue(r.halfRate().p50Ms() > 0 && r.halfRate().p99Ms() >= r.halfRate().p50Ms());
        assertTrue(r.json().contains("\"half_rate\":{"), r.json());
    }

    /** The open-loop sender sends every request of its schedule once, answered, over at most 64 connections. */
    @Test
    void openLoopSendsItsWholeScheduleOnce() throws Exception {
        try (EmbeddingServer s = ServerFixture.start(ServerFixture.options())) {
            ServerMetrics.Passes before = s.passes();
            long[][] lat = new long[1][];
            ServeBenchmark.OpenLoop r = ServeBenchmark.openLoop(s, EmbeddedText.englishSentences(0, 64), 2, 80, 1.0, lat);
            assertEquals(80, r.requests());
            assertEquals(0, r.errors());
            assertEquals(80, lat[0].length);
            for (long l : lat[0]) assertTrue(l > 0, "every request answered and timed");
            // two sentences per request, each embedded in exactly one pass; a pass is counted just after
            // its answers go out, so the last one may land a moment after its client has read it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (s.passes().minus(before).sequences() < 160 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(160, s.passes().minus(before).sequences(), 1e-9);
        }
    }

    /** The warm-up runs its minimum, then chunks only while the JIT is busy, and never past its maximum. */
    @Test
    void warmUpRunsItsMinimumAndStopsByItsMaximum() throws Exception {
        java.util.List<Double> chunks = new java.util.ArrayList<>();
        double took = ServeBenchmark.warmUntilSettled(0.2, 0.5, t -> {
            chunks.add(t);
            Thread.sleep((long) (t * 1e3));
        });
        assertEquals(0.2, chunks.get(0), 1e-12);
        assertTrue(chunks.size() >= 2, "one chunk after the minimum at least: " + chunks);
        for (double c : chunks.subList(1, chunks.size())) assertTrue(c <= ServeBenchmark.WARMUP_CHUNK_SECONDS && c > 0, "" + chunks);
        assertTrue(took >= 0.2 && took < 0.5 + 0.3, "took " + took + " s: " + chunks);
        // a fixed warm-up: maximum = minimum runs the minimum only
        chunks.clear();
        ServeBenchmark.warmUntilSettled(0.1, 0.1, t -> chunks.add(t));
        assertEquals(java.util.List.of(0.1), chunks);
    }
}
