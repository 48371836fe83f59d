// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 16 concurrent clients with mixed sizes and interleaved bad requests: every good answer equals the
 * offline embedding bit for bit, nothing is lost or duplicated, and requests really share passes.
 * The soak variant (about 2 minutes, {@code -Dlacuna.soak=true}; {@code -Dlacuna.soak.seconds=S})
 * also checks that the heap stays flat.
 */
class ServerLoadTest {
    static List<String> texts() {
        List<String> t = new ArrayList<>(TestData.stsbDevSentences(150));
        t.add("word ".repeat(300));          // truncated to the model's 256 tokens
        t.add("long sentence about load ".repeat(40));
        return t;
    }

    static Map<String, float[]> reference(List<String> texts) {
        float[][] v = ServerFixture.offline(texts);
        Map<String, float[]> m = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) m.put(texts.get(i), v[i]);
        return m;
    }

    @Test
    @Timeout(120)
    void concurrentMixedLoad() throws Exception {
        List<String> texts = texts();
        Map<String, float[]> ref = reference(texts);
        // a small pass budget: requests are split across passes and passes mix requests
        ServerOptions o = ServerFixture.options().withLimits(600, 64, 256, 2 << 20);
        try (EmbeddingServer s = ServerFixture.start(o)) {
            ServerLoad.Outcome out = ServerLoad.run(s, 16, 12, Long.MAX_VALUE, texts, ref, 14);
            assertEquals(List.of(), out.wrong());
            assertEquals(16 * 12, out.good() + out.bad());
            assertTrue(out.bad() > 10 && out.good() > 100, out.toString());
            String scrape = ServerFixture.get(s, "/metrics").body();
            assertEquals(out.good() + out.bad(), ServerLoad.sum(scrape, "lacuna_http_requests_total"), "one response per request");
            double passes = ServerLoad.sum(scrape, "lacuna_batch_sequences_count");
            double batched = ServerLoad.sum(scrape, "lacuna_batch_sequences_sum");
            assertEquals(out.sequences(), batched, "every sequence ran once");
            assertTrue(passes < out.good(), "passes (" + passes + ") shared by requests (" + out.good() + ")");
        }
    }

    @Test
    @EnabledIfSystemProperty(named = "lacuna.soak", matches = "true")
    @Timeout(900)
    void soak() throws Exception {
        long seconds = Long.getLong("lacuna.soak.seconds", 120);
        List<String> texts = texts();
        Map<String, float[]> ref = reference(texts);
        try (EmbeddingServer s = ServerFixture.start(ServerFixture.options())) {
            ServerLoad.run(s, 8, 20, Long.MAX_VALUE, texts, ref, 1);
            long before = usedHeapAfterGc();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long good = 0;
            int round = 0;
            List<Long> heaps = new ArrayList<>();
            while (System.nanoTime() < end) {
                ServerLoad.Outcome out = ServerLoad.run(s, 16, 1_000_000, Math.min(end, System.nanoTime() + 10_000_000_000L), texts, ref, 100 + round++);
                assertEquals(List.of(), out.wrong());
                good += out.good();
                heaps.add(usedHeapAfterGc());
            }
            long after = usedHeapAfterGc();
            System.out.println("soak: " + seconds + " s, " + good + " good requests, heap after GC " + (before >> 20) + " -> " + (after >> 20)
                    + " MiB, per 10 s " + heaps.stream().map(h -> (h >> 20) + "").toList());
            assertTrue(after - before < 64L << 20, "heap grew from " + (before >> 20) + " to " + (after >> 20) + " MiB");
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
