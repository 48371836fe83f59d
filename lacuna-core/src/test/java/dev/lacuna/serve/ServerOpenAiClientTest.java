// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.lacuna.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real OpenAI client (langchain4j's OpenAiEmbeddingModel) against the server, as the acceptance asks. */
class ServerOpenAiClientTest {
    @Test
    @Timeout(120)
    void langchain4jEmbedsStsbLikeTheOfflineEncoder() {
        List<String> sentences = TestData.stsbDevSentences(50);
        float[][] offline = ServerFixture.offline(sentences);
        try (EmbeddingServer s = ServerFixture.start(ServerFixture.options().withApiKey("test-key"))) {
            OpenAiEmbeddingModel client = OpenAiEmbeddingModel.builder().baseUrl(s.baseUrl() + "/v1").apiKey("test-key")
                    .modelName("default").timeout(Duration.ofSeconds(60)).maxRetries(0).build();
            List<Embedding> got = client.embedAll(sentences.stream().map(TextSegment::from).toList()).content();
            assertEquals(sentences.size(), got.size());
            double worst = 1;
            for (int i = 0; i < got.size(); i++) {
                float[] a = got.get(i).vector();
                float[] b = offline[i];
                assertEquals(b.length, a.length);
                double dot = 0, na = 0, nb = 0;
                for (int j = 0; j < a.length; j++) {
                    dot += (double) a[j] * b[j];
                    na += (double) a[j] * a[j];
                    nb += (double) b[j] * b[j];
                }
                worst = Math.min(worst, dot / Math.sqrt(na * nb));
            }
            assertTrue(worst >= 0.999999, "worst cosine " + worst);
            assertEquals(384, client.dimension());
        }
    }
}
