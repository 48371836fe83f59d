// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.TestData;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.tokenizer.Encoding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batcher's wait for a companion: never for one client waiting on its answers; always exact. */
class EmbeddingBatcherTest {
    private static int[][] ids(LoadedModel lm, List<String> texts) {
        int[][] seqs = new int[texts.size()][];
        for (int i = 0; i < seqs.length; i++) {
            Encoding e = lm.encoder().tokenizer().encode(texts.get(i));
            seqs[i] = e.ids();
        }
        return seqs;
    }

    /** A batcher that may wait up to a second (in practice one pass time) for a companion. */
    private static EmbeddingBatcher waiting(LoadedModel lm) {
        return new EmbeddingBatcher(lm.encoder(), 2, 8192, 1000, null, null);
    }

    @Test
    void aClientWaitingOnItsAnswersNeverWaitsForACompanion() throws Exception {
        LoadedModel lm = ServerFixture.model();
        List<String> texts = TestData.stsbDevSentences(40);
        int[][] seqs = ids(lm, texts);
        try (EmbeddingBatcher b = waiting(lm)) {
            for (int i = 0; i < seqs.length; i++) {
                float[] got = b.submit(new int[][] {seqs[i]}, false).get().embeddings()[0];
                assertArrayEquals(ServerFixture.offline(texts.get(i)), got, "text " + i);
            }
            assertEquals(0, b.waits()[0], "no request arrived during a pass, so none may wait");
        }
    }

    @Test
    void requestsArrivingDuringPassesShareThemAndStayExact() throws Exception {
        LoadedModel lm = ServerFixture.model();
        List<String> texts = TestData.stsbDevSentences(64);
        int[][] seqs = ids(lm, texts);
        try (EmbeddingBatcher b = waiting(lm)) {
            // two requests per round, the second sent while the first one's pass runs: arrivals during
            // passes, so lone requests start waiting (up to a pass time) for a companion
            List<CompletableFuture<EmbeddingBatcher.Result>> fs = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < seqs.length; i++) {
                    fs.add(b.submit(new int[][] {seqs[i]}, false));
                    if (i % 2 == 1) fs.get(fs.size() - 1).get();
                }
            }
            for (int i = 0; i < fs.size(); i++) {
                assertArrayEquals(ServerFixture.offline(texts.get(i % seqs.length)), fs.get(i).get().embeddings()[0], "request " + i);
            }
            long[] w = b.waits();
            assertTrue(w[1] <= w[0], "companions " + w[1] + " of " + w[0] + " waits");
        }
    }
}
