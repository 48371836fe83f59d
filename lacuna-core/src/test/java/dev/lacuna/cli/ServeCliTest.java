// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna serve} and {@code bench serve} refuse bad options with one line, before loading a model. */
class ServeCliTest {
    static void refused(String want, String... args) {
        long t0 = System.nanoTime();
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains(want), r.err());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused before the model loads");
    }

    @Test
    void badOptions() {
        refused("--port must be between 0 and 65535, got 70000", "serve", "--port", "70000");
        refused("--max-input-tokens (10) must not exceed --max-batch-tokens (5)", "serve", "--max-input-tokens", "10", "--max-batch-tokens", "5");
        refused("--max-concurrent-requests must be >= 1, got 0", "serve", "--max-concurrent-requests", "0");
        refused("--body-timeout must be in (0, 86400] seconds, got -1.0", "serve", "--body-timeout", "-1");
        refused("--max-body-bytes must be >= 1, got 0", "serve", "--max-body-bytes", "0");
        refused("--api-key must not be empty", "serve", "--api-key", " ");
        refused("--clients must be >= 1, got 0", "bench", "serve", "--clients", "0");
        refused("--serve-warmup must be >= 0, got -1.0", "bench", "serve", "--serve-warmup", "-1");
        refused("--serve-warmup-max must be >= --serve-warmup (20.0), got 5.0", "bench", "serve", "--serve-warmup-max", "5");
    }
}
