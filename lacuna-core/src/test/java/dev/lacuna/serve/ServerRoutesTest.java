// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static dev.lacuna.serve.ServerFixture.get;
import static dev.lacuna.serve.ServerFixture.json;
import static dev.lacuna.serve.ServerFixture.floats;
import static dev.lacuna.serve.ServerFixture.offline;
import static dev.lacuna.serve.ServerFixture.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route's request and response shapes, against the offline encoder. */
@Timeout(120)
class ServerRoutesTest {
    static EmbeddingServer server;
    static final String A = "A man is playing a guitar.";
    static final String B = "The cat sat quietly on the warm mat by the door.";

    @BeforeAll
    static void start() {
        server = ServerFixture.start(ServerFixture.options());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int[] ids(String text) {
        return ServerFixture.model().encoder().tokenizer().encode(text).ids();
    }

    @Test
    void openAiEmbeddingsFloatAndBase64() throws Exception {
        HttpResponse<String> r = post(server, "/v1/embeddings", "{\"input\":[\"" + A + "\",\"" + B + "\"],\"model\":\"text-embedding-3-small\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode j = json(r.body());
        assertEquals("list", j.get("object").asText());
        assertEquals("text-embedding-3-small", j.get("model").asText());
        assertEquals(2, j.get("data").size());
        for (int i = 0; i < 2; i++) {
            JsonNode d = j.get("data").get(i);
            assertEquals("embedding", d.get("object").asText());
            assertEquals(i, d.get("index").asInt());
            assertArrayEquals(offline(i == 0 ? A : B), floats(d.get("embedding")));
        }
        int tokens = ids(A).length + ids(B).length;
        assertEquals(tokens, j.get("usage").get("prompt_tokens").asInt());
        assertEquals(tokens, j.get("usage").get("total_tokens").asInt());

        JsonNode b64 = json(post(server, "/v1/embeddings", "{\"input\":\"" + A + "\",\"encoding_format\":\"base64\"}").body());
        byte[] raw = Base64.getDecoder().decode(b64.get("data").get(0).get("embedding").asText());
        ByteBuffer bb = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[raw.length / 4];
        for (int i = 0; i < v.length; i++) v[i] = bb.getFloat();
        assertArrayEquals(offline(A), v);
        assertEquals("default", b64.get("model").asText());
    }

    @Test
    void openAiTokenIdInputsEqualTextInputs() throws Exception {
        int[] a = ids(A);
        int[] b = ids(B);
        String lists = "{\"input\":[" + java.util.Arrays.toString(a) + "," + java.util.Arrays.toString(b) + "]}";
        JsonNode j = json(post(server, "/v1/embeddings", lists).body());
        assertArrayEquals(offline(A), floats(j.get("data").get(0).get("embedding")));
        assertArrayEquals(offline(B), floats(j.get("data").get(1).get("embedding")));
        JsonNode one = json(post(server, "/v1/embeddings", "{\"input\":" + java.util.Arrays.toString(a) + "}").body());
        assertEquals(1, one.get("data").size());
        assertArrayEquals(offline(A), floats(one.get("data").get(0).get("embedding")));
        assertEquals(a.length, one.get("usage").get("prompt_tokens").asInt());
    }

    @Test
    void dimensionsRefusedWithoutMatryoshka() throws Exception {
        HttpResponse<String> r = post(server, "/v1/embeddings", "{\"input\":\"x y\",\"dimensions\":64}");
        assertEquals(400, r.statusCode());
        JsonNode e = json(r.body()).get("error");
        assertTrue(e.get("message").asText().contains("no Matryoshka training"), r.body());
        assertEquals("invalid_request_error", e.get("type").asText());
        assertEquals("dimensions", e.get("param").asText());
        assertEquals(200, post(server, "/v1/embeddings", "{\"input\":\"x y\",\"dimensions\":384}").statusCode());
    }

    @Test
    void models() throws Exception {
        JsonNode j = json(get(server, "/v1/models").body());
        assertEquals("list", j.get("object").asText());
        assertEquals("default", j.get("data").get(0).get("id").asText());
        assertEquals("model", j.get("data").get(0).get("object").asText());
    }

    @Test
    void teiEmbedStringAndList() throws Exception {
        JsonNode one = json(post(server, "/embed", "{\"inputs\":\"" + A + "\"}").body());
        assertEquals(1, one.size());
        assertArrayEquals(offline(A), floats(one.get(0)));
        JsonNode two = json(post(server, "/embed", "{\"inputs\":[\"" + B + "\",\"" + A + "\"],\"normalize\":true}").body());
        assertArrayEquals(offline(B), floats(two.get(0)));
        assertArrayEquals(offline(A), floats(two.get(1)));
    }

    @Test
    void truncation() throws Exception {
        String longText = "word ".repeat(150) + "alpha beta gamma ".repeat(40);
        HttpResponse<String> refused = post(server, "/embed", "{\"inputs\":\"" + longText + "\"}");
        assertEquals(413, refused.statusCode());
        assertTrue(json(refused.body()).get("error").asText().contains("--max-input-tokens"), refused.body());
        assertEquals(413, post(server, "/v1/embeddings", "{\"input\":\"" + longText + "\"}").statusCode());

        JsonNode right = json(post(server, "/embed", "{\"inputs\":\"" + longText + "\",\"truncate\":true}").body());
        assertArrayEquals(offline(longText), floats(right.get(0)), "right truncation is what lacuna embed does");

        JsonNode left = json(post(server, "/embed", "{\"inputs\":\"" + longText + "\",\"truncate\":true,\"truncation_direction\":\"Left\"}").body());
        WordPieceTokenizer wp = (WordPieceTokenizer) ServerFixture.model().encoder().tokenizer();
        int[] all = wp.withMaxLength(100_000).encode(longText).ids();
        int max = wp.maxLength();
        int[] kept = new int[max];
        kept[0] = all[0];
        System.arraycopy(all, all.length - 1 - (max - 2), kept, 1, max - 2);
        kept[max - 1] = all[all.length - 1];
        JsonNode byIds = json(post(server, "/v1/embeddings", "{\"input\":" + java.util.Arrays.toString(kept) + "}").body());
        assertArrayEquals(floats(byIds.get("data").get(0).get("embedding")), floats(left.get(0)));
        assertFalse(java.util.Arrays.equals(floats(right.get(0)), floats(left.get(0))));
    }

    @Test
    void embedSparseGivesTermWeightsOfTheText() throws Exception {
        HttpResponse<String> r = post(server, "/embed_sparse", "{\"inputs\":[\"" + A + "\",\"" + B + "\"]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode j = json(r.body());
        assertEquals(2, j.size());
        WordPieceTokenizer wp = (WordPieceTokenizer) ServerFixture.model().encoder().tokenizer();
        for (int i = 0; i < 2; i++) {
            int[] tokens = ids(i == 0 ? A : B);
            JsonNode v = j.get(i);
            assertTrue(v.size() > 0);
            int prev = -1;
            for (JsonNode e : v) {
                int idx = e.get("index").asInt();
                assertTrue(idx > prev, "indices ascending");
                prev = idx;
                assertTrue(e.get("value").floatValue() > 0);
                assertFalse(wp.isSpecial(idx));
                assertTrue(java.util.Arrays.stream(tokens).anyMatch(t -> t == idx), "index " + idx + " is a token of the text");
            }
        }
        HttpResponse<String> sae = post(server, "/embed_sparse", "{\"inputs\":\"x\",\"features\":\"sae\"}");
        assertEquals(422, sae.statusCode());
        assertTrue(sae.body().contains("--sae"));
    }

    @Test
    void embedSparseSaeLatents(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // an untrained SAE on the embedding is enough to check that the route returns its latents
        dev.lacuna.sae.SaeTestFiles.writeUntrainedEmbeddingSae(dir, 64, 4);
        var sae = dev.lacuna.retrieval.SparseFeatureEncoders.open(dir, 384);
        var m = ServerFixture.model();
        try (EmbeddingServer s = EmbeddingServer.start(m.name(), m.source(), m.encoder(), ServerFixture.options(), sae)) {
            JsonNode j = json(post(s, "/embed_sparse", "{\"inputs\":[\"" + A + "\"],\"features\":\"sae\"}").body());
            dev.lacuna.retrieval.SparseVector want = sae.encode(offline(A));
            assertTrue(want.size() > 0);
            assertEquals(want.size(), j.get(0).size());
            java.util.Map<Integer, Float> byId = new java.util.HashMap<>();
            for (int k = 0; k < want.size(); k++) byId.put(want.ids()[k], want.weights()[k]);
            for (JsonNode e : j.get(0)) assertEquals(byId.get(e.get("index").asInt()), e.get("value").floatValue());
            assertTrue(json(get(s, "/info").body()).get("sae").isTextual());
        }
    }

    @Test
    void tokenize() throws Exception {
        JsonNode j = json(post(server, "/tokenize", "{\"inputs\":[\"hello world\"]}").body());
        JsonNode toks = j.get(0);
        int[] want = ids("hello world");
        assertEquals(want.length, toks.size());
        for (int i = 0; i < want.length; i++) assertEquals(want[i], toks.get(i).get("id").asInt());
        assertEquals("[CLS]", toks.get(0).get("text").asText());
        assertTrue(toks.get(0).get("special").asBoolean());
        assertEquals("hello", toks.get(1).get("text").asText());
        JsonNode plain = json(post(server, "/tokenize", "{\"inputs\":\"hello world\",\"add_special_tokens\":false}").body()).get(0);
        assertEquals(want.length - 2, plain.size());
        assertEquals("hello", plain.get(0).get("text").asText());
    }

    @Test
    void infoHealthMetrics() throws Exception {
        JsonNode info = json(get(server, "/info").body());
        assertEquals("default", info.get("model_id").asText());
        assertEquals(256, info.get("max_input_length").asInt());
        assertEquals(384, info.get("embedding_dimensions").asInt());
        assertEquals("mean", info.get("model_type").get("embedding").get("pooling").asText());
        assertEquals(200, get(server, "/health").statusCode());
        post(server, "/embed", "{\"inputs\":\"metrics\"}");
        HttpResponse<String> m = get(server, "/metrics");
        assertEquals(200, m.statusCode());
        assertTrue(m.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        for (String want : List.of("lacuna_http_requests_total{route=\"/embed\",status=\"200\"}", "lacuna_queue_sequences",
                "lacuna_batch_tokens_count", "lacuna_http_request_duration_seconds_bucket", "lacuna_tokens_total", "lacuna_requests_in_flight")) {
            assertTrue(m.body().contains(want), want + " in /metrics");
        }
    }

    @Test
    void unknownRouteAndMethod() throws Exception {
        HttpResponse<String> nf = get(server, "/nope");
        assertEquals(404, nf.statusCode());
        assertEquals("NotFound", json(nf.body()).get("error_type").asText());
        HttpResponse<String> v1 = get(server, "/v1/nope");
        assertEquals(404, v1.statusCode());
        assertTrue(json(v1.body()).get("error").get("message").asText().contains("/v1/nope"));
        HttpResponse<String> m = get(server, "/embed");
        assertEquals(405, m.statusCode(), m.body());
        assertNotEquals(-1, m.body().indexOf("not allowed"));
    }
}
