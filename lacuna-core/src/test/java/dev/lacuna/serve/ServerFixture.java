// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The model the server tests share (loaded once per JVM, its JIT warmed so that offline and served
 * embeddings run the same compiled kernels), servers on 127.0.0.1 port 0, and small HTTP helpers.
 */
final class ServerFixture {
    /** Floats parsed exactly (BigDecimal to float), so bit-for-bit comparisons mean what they say. */
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private static LoadedModel model;
    private static Parallel par;

    private ServerFixture() {}

    /**
     * The default model, warmed up, as the server warms it before listening (for speed: the bits no
     * longer depend on warmth, see {@code JitWarmthTest}).
     */
    static synchronized LoadedModel model() {
        if (model == null) {
            model = ModelLoader.load("default");
            par = new Parallel(2);
            List<String> warm = TestData.stsbDevSentences(48);
            for (int i = 0; i < 3; i++) model.encoder().embed(par, warm, 1 + 15 * i, null);
            EmbeddingServer.warmUp(model.encoder(), 2);
        }
        return model;
    }

    /** The offline embedding of one text (a batch of one, as {@code lacuna embed} would give it). */
    static synchronized float[] offline(String text) {
        return model().encoder().embed(par, List.of(text), 1, null)[0];
    }

    static synchronized float[][] offline(List<String> texts) {
        return model().encoder().embed(par, texts, 32, null);
    }

    /** Loopback, a free port, 2 threads, short timeouts. */
    static ServerOptions options() {
        return ServerOptions.defaults(model().encoder().tokenizer().maxLength(), 2).withPort(0).withTimeouts(1500, 10_000, 10_000);
    }

    static EmbeddingServer start(ServerOptions o) {
        LoadedModel m = model();
        return EmbeddingServer.start(m.name(), m.source(), m.encoder(), o, null);
    }

    static HttpResponse<String> post(EmbeddingServer s, String path, String body, String... headers) throws IOException, InterruptedException {
        return post(s, path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    static HttpResponse<String> post(EmbeddingServer s, String path, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(EmbeddingServer s, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (headers.length > 0) b.headers(headers);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    static float[] floats(JsonNode array) {
        float[] v = new float[array.size()];
        for (int i = 0; i < v.length; i++) v[i] = array.get(i).decimalValue().floatValue();
        return v;
    }

    /** A raw connection that has sent {@code head} (request line and headers) and {@code bodyStart}. */
    static Socket raw(EmbeddingServer s, String head, byte[] bodyStart) throws IOException {
        Socket sock = new Socket("127.0.0.1", s.port());
        sock.setSoTimeout(10_000);
        OutputStream out = sock.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bodyStart);
        out.flush();
        return sock;
    }

    /** What the server sent back until it closed the connection or {@code timeoutMillis} passed. */
    static String readAll(Socket sock, int timeoutMillis) throws IOException {
        sock.setSoTimeout(timeoutMillis);
        InputStream in = sock.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        } catch (java.net.SocketTimeoutException e) {
            sb.append("<timeout>");
        } catch (IOException e) {
            sb.append("<reset>");
        }
        return sb.toString();
    }
}
