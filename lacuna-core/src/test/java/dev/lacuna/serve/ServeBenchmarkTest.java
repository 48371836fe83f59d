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
}
