// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.lacuna.serve.ServerFixture.floats;
import static dev.lacuna.serve.ServerFixture.get;
import static dev.lacuna.serve.ServerFixture.json;
import static dev.lacuna.serve.ServerFixture.offline;
import static dev.lacuna.serve.ServerFixture.post;
import static dev.lacuna.serve.ServerFixture.raw;
import static dev.lacuna.serve.ServerFixture.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each fault gets its status and a one-line JSON error in its route's dialect, and a good request
 * right after it (or during it) is still answered correctly.
 */
@Timeout(120)
class ServerFaultsTest {
    static EmbeddingServer server;
    static final String GOOD = "Three dogs run across a green field.";
    final List<EmbeddingServer> extra = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = ServerFixture.start(ServerFixture.options());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeExtra() {
        extra.forEach(EmbeddingServer::close);
    }

    EmbeddingServer startExtra(ServerOptions o) {
        EmbeddingServer s = ServerFixture.start(o);
        extra.add(s);
        return s;
    }

    /** The status, and a body that is one line of JSON with the dialect's error fields. */
    static JsonNode assertError(HttpResponse<String> r, int status, boolean openAi) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertFalse(r.body().contains("\n"), "one line: " + r.body());
        JsonNode j = json(r.body());
        if (openAi) {
            assertTrue(j.get("error").get("message").isTextual(), r.body());
            assertTrue(j.get("error").get("type").isTextual(), r.body());
        } else {
            assertTrue(j.get("error").isTextual(), r.body());
            assertTrue(j.get("error_type").isTextual(), r.body());
        }
        return j;
    }

    static void assertGood(EmbeddingServer s) throws Exception {
        HttpResponse<String> r = post(s, "/embed", "{\"inputs\":[\"" + GOOD + "\"]}");
        assertEquals(200, r.statusCode(), r.body());
        assertArrayEquals(offline(GOOD), floats(json(r.body()).get(0)));
    }

    @Test
    void malformedJson() throws Exception {
        assertError(post(server, "/embed", "{\"inputs\": [\"a\""), 400, false);
        assertGood(server);
        JsonNode j = assertError(post(server, "/v1/embeddings", "{input: 1}"), 400, true);
        assertTrue(j.get("error").get("message").asText().contains("not valid JSON"));
        assertError(post(server, "/embed", ""), 400, false);
        assertError(post(server, "/embed", "[1,2]"), 422, false);
        assertGood(server);
    }

    @Test
    void wrongTypes() throws Exception {
        assertError(post(server, "/embed", "{\"inputs\":5}"), 422, false);
        assertError(post(server, "/embed", "{\"inputs\":\"a\",\"normalize\":\"yes\"}"), 422, false);
        assertError(post(server, "/embed", "{\"inputs\":\"a\",\"normalize\":false}"), 422, false);
        assertError(post(server, "/embed", "{\"inputs\":\"a\",\"truncation_direction\":\"Up\"}"), 422, false);
        assertError(post(server, "/v1/embeddings", "{\"input\":[\"a\",[1,2]]}"), 400, true);
        assertError(post(server, "/v1/embeddings", "{\"input\":[[101, 1.5, 102]]}"), 400, true);
        assertError(post(server, "/v1/embeddings", "{\"input\":[[101, 99999999, 102]]}"), 400, true);
        assertError(post(server, "/v1/embeddings", "{\"input\":\"a\",\"encoding_format\":\"int8\"}"), 400, true);
        assertError(post(server, "/v1/embeddings", "{\"model\":\"m\"}"), 400, true);
        assertGood(server);
    }

    @Test
    void emptyInputs() throws Exception {
        assertEquals("Empty", assertError(post(server, "/embed", "{\"inputs\":[]}"), 400, false).get("error_type").asText());
        assertError(post(server, "/embed", "{\"inputs\":\"\"}"), 400, false);
        assertError(post(server, "/v1/embeddings", "{\"input\":[\"a\",\"\"]}"), 400, true);
        assertError(post(server, "/v1/embeddings", "{\"input\":[[]]}"), 400, true);
        assertGood(server);
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] body = "{\"inputs\":\"caf\u00e9 X\"}".getBytes(StandardCharsets.UTF_8);
        byte[] bad = body.clone();
        int x = new String(bad, StandardCharsets.ISO_8859_1).indexOf('X');
        bad[x] = (byte) 0xFF;
        JsonNode j = assertError(post(server, "/embed", bad), 400, false);
        assertTrue(j.get("error").asText().contains("not valid UTF-8 (byte offset " + x + ")"), j.toString());
        assertError(post(server, "/v1/embeddings", new byte[] {'{', '"', 'i', (byte) 0xC3, '"', '}'}), 400, true);
        assertEquals(200, post(server, "/embed", body).statusCode());
        assertGood(server);
    }

    @Test
    void fiftyMegabyteBody() throws Exception {
        // declared: refused before the body is read
        try (Socket s = raw(server, "POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n", new byte[65536])) {
            String resp = readAll(s, 10_000);
            assertTrue(resp.startsWith("HTTP/1.1 413"), resp);
            assertTrue(resp.contains("\"error_type\":\"Validation\""), resp);
        }
        // streamed without a length: cut off at the limit (413, or the connection is dropped while the client writes)
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) ' ');
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/embeddings")).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                    long left = 50L << 20;

                    @Override
                    public int read() {
                        return left-- > 0 ? ' ' : -1;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left <= 0) return -1;
                        int n = (int) Math.min(len, left);
                        System.arraycopy(chunk, 0, b, off, Math.min(n, chunk.length));
                        left -= n;
                        return n;
                    }
                })).build();
        try {
            HttpResponse<String> r = ServerFixture.HTTP.send(req, HttpResponse.BodyHandlers.ofString());
            assertError(r, 413, true);
        } catch (java.io.IOException dropped) {
            // dropped: acceptable
        }
        assertGood(server);
    }

    @Test
    void bodiesUpToTheLimitAreRead() throws Exception {
        String pad = "x".repeat((int) (1.5 * (1 << 20)));
        HttpResponse<String> r = post(server, "/embed", "{\"inputs\":[\"" + GOOD + "\"],\"pad\":\"" + pad + "\"}");
        assertEquals(200, r.statusCode(), "a 1.5 MB body is under the 2 MiB limit");
        assertArrayEquals(offline(GOOD), floats(json(r.body()).get(0)));
        EmbeddingServer small = startExtra(ServerFixture.options().withLimits(8192, 8, 256, 1000));
        JsonNode j = assertError(post(small, "/v1/embeddings", "{\"input\":\"" + "y".repeat(1000) + "\"}"), 413, true);
        assertTrue(j.get("error").get("message").asText().contains("--max-body-bytes"), j.toString());
        assertGood(small);
    }

    @Test
    void clientDisconnectsMidRequest() throws Exception {
        for (int i = 0; i < 3; i++) {
            Socket s = raw(server, "POST /embed HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n", "{\"inputs\":\"half a bo".getBytes(StandardCharsets.UTF_8));
            s.close();
        }
        // and one that goes away while its embedding is computed
        Socket waiting = raw(server, "POST /embed HTTP/1.1\r\nHost: x\r\nContent-Length: 22\r\n\r\n", "{\"inputs\":\"gone soon\"}".getBytes(StandardCharsets.UTF_8));
        waiting.close();
        assertGood(server);
        assertEquals(200, get(server, "/health").statusCode());
    }

    @Test
    void slowTricklingClientIsCutOff() throws Exception {
        long t0 = System.nanoTime();
        try (Socket s = raw(server, "POST /embed HTTP/1.1\r\nHost: x\r\nContent-Length: 200\r\n\r\n", new byte[] {'{'})) {
            OutputStream out = s.getOutputStream();
            CompletableFuture<Void> goodMeanwhile = CompletableFuture.runAsync(() -> {
                try {
                    assertGood(server);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                Thread.sleep(150);
                try {
                    out.write(' ');
                    out.flush();
                } catch (java.io.IOException e) {
                    cut = true;
                }
            }
            if (!cut) {
                String rest = readAll(s, 3000);
                assertFalse(rest.contains("<timeout>"), "the server should have closed the connection: " + rest);
            }
            goodMeanwhile.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 6.5, "cut off after the 1.5 s body timeout, took " + seconds + " s");
        assertGood(server);
    }

    @Test
    void apiKey() throws Exception {
        EmbeddingServer s = startExtra(ServerFixture.options().withApiKey("s3cret"));
        JsonNode j = assertError(post(s, "/v1/embeddings", "{\"input\":\"a\"}"), 401, true);
        assertEquals("invalid_api_key", j.get("error").get("code").asText());
        assertError(post(s, "/embed", "{\"inputs\":\"a\"}", "Authorization", "Bearer wrong"), 401, false);
        assertError(get(s, "/metrics"), 401, false);
        assertError(get(s, "/v1/models", "Authorization", "s3cret"), 401, true);
        assertEquals(200, get(s, "/health").statusCode());
        HttpResponse<String> ok = post(s, "/embed", "{\"inputs\":\"" + GOOD + "\"}", "Authorization", "Bearer s3cret");
        assertEquals(200, ok.statusCode());
        assertArrayEquals(offline(GOOD), floats(json(ok.body()).get(0)));
    }

    @Test
    void tooManyConcurrentRequests() throws Exception {
        EmbeddingServer s = startExtra(ServerFixture.options().withLimits(8192, 2, 256, 2 << 20).withTimeouts(8000, 10_000, 10_000));
        // two requests whose bodies are still arriving hold both places
        byte[] rest = "\"inputs\":\"a b c d\"}".getBytes(StandardCharsets.UTF_8);
        String head = "POST /embed HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + (1 + rest.length) + "\r\n\r\n";
        try (Socket a = raw(s, head, "{".getBytes()); Socket b = raw(s, head, "{".getBytes())) {
            // both hold a place once their handlers run; a fixed number of tries was not enough on a
            // busy CI machine (the 50 posts were all answered before the two handlers were dispatched)
            long until = System.nanoTime() + 10_000_000_000L;
            while (s.admittedRequests() < 2 && System.nanoTime() < until) Thread.sleep(5);
            assertEquals(2, s.admittedRequests(), "both slow requests were admitted");
            HttpResponse<String> r = post(s, "/embed", "{\"inputs\":\"a\"}");
            assertEquals("Overloaded", assertError(r, 429, false).get("error_type").asText());
            assertEquals("1", r.headers().firstValue("Retry-After").orElse(null));
            assertError(post(s, "/v1/embeddings", "{\"input\":\"a\"}"), 429, true);
            assertEquals(200, get(s, "/health").statusCode(), "health is not an embedding request");
            for (Socket x : List.of(a, b)) {
                x.getOutputStream().write(rest);
                x.getOutputStream().flush();
                String resp = readAll(x, 5000);
                assertTrue(resp.startsWith("HTTP/1.1 200"), resp);
            }
        }
        assertGood(s);
    }

    @Test
    void portInUseIsOneLine() {
        var e = assertThrows(dev.lacuna.LacunaException.class, () -> ServerFixture.start(ServerFixture.options().withPort(server.port())));
        assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + server.port() + " ("), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void optionsAreChecked() {
        var e = assertThrows(dev.lacuna.LacunaException.class, () -> ServerFixture.start(ServerFixture.options().withLimits(8192, 4, 300, 1000)));
        assertEquals("--max-input-tokens 300 is more than model 'default' takes (256 tokens)", e.getMessage());
    }

    @Test
    void closeDrainsInFlightThenRefuses() throws Exception {
        EmbeddingServer s = ServerFixture.start(ServerFixture.options().withTimeouts(8000, 10_000, 10_000));
        String body = "{\"inputs\":\"" + GOOD + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int port = s.port();
        try (Socket inFlight = raw(s, "POST /embed HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n", new byte[] {bytes[0]})) {
            // the request is in flight once its handler runs (it then waits for the rest of the body);
            // a fixed sleep was not enough on a busy machine
            long until = System.nanoTime() + 10_000_000_000L;
            while (s.activeRequests() == 0 && System.nanoTime() < until) Thread.sleep(5);
            assertTrue(s.activeRequests() > 0, "the request reached its handler");
            CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
            Thread.sleep(300);
            assertFalse(closing.isDone(), "close waits for the request in flight");
            inFlight.getOutputStream().write(bytes, 1, bytes.length - 1);
            inFlight.getOutputStream().flush();
            String resp = readAll(inFlight, 5000);
            assertTrue(resp.startsWith("HTTP/1.1 200"), resp);
            float[] got = floats(json(resp.substring(resp.indexOf("\r\n\r\n") + 4)).get(0));
            assertArrayEquals(offline(GOOD), got);
            closing.get();
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }
}
