// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One tokenizer shared by several threads (as the encoders share it) gives Hugging Face's ids, at
 * max length 128, on the corpora {@link TokenizerThroughputLab} times: the class promises to be
 * immutable and thread-safe, and any state carried from one text to the next would show here.
 */
class SharedTokenizerTest {
    private static final int THREADS = 4;

    @Test
    void fourThreadsInShuffledOrdersGiveTheReferenceIds() throws Exception {
        List<String> texts = new ArrayList<>(TestCorpus.stsbDevSentences());
        texts.addAll(TestCorpus.wikitextLines());
        int[][] expected;
        try (HfReference hf = new HfReference(TokenizerFiles.ALL_MINILM_L6_V2.bytes(), 128)) {
            expected = hf.encodeAll(texts);
        }
        long expectedTokens = 0;
        int truncated = 0;
        for (int[] e : expected) {
            expectedTokens += e.length;
            if (e.length == 128) truncated++;
        }
        assertTrue(truncated > 100, "the corpus exercises truncation: " + truncated + " texts at 128 tokens");

        WordPieceTokenizer shared = TokenizerFiles.ALL_MINILM_L6_V2.load(128);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Long>> tokens = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < texts.size(); i++) order.add(i);
                Collections.shuffle(order, new Random(w));
                tokens.add(pool.submit(() -> {
                    long n = 0;
                    for (int i : order) {
                        int[] ids = shared.encode(texts.get(i)).ids();
                        assertArrayEquals(expected[i], ids, texts.get(i));
                        n += ids.length;
                    }
                    return n;
                }));
            }
            for (Future<Long> f : tokens) assertEquals(expectedTokens, f.get(), "tokens over the corpus");
        } finally {
            pool.shutdownNow();
        }
    }
}
