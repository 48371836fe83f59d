// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static dev.lacuna.serve.ServerFixture.floats;
import static dev.lacuna.serve.ServerFixture.json;
import static dev.lacuna.serve.ServerFixture.post;

/**
 * Concurrent clients sending mixed requests (OpenAI and TEI routes, 1 to 8 texts, float and base64,
 * some long texts truncated) with bad requests interleaved; every answer is checked: good ones bit
 * for bit against the offline embeddings, bad ones for their status. Shared by the load and soak tests.
 */
final class ServerLoad {
    /** What happened; {@code wrong} holds one line per wrong answer. */
    record Outcome(long good, long bad, long sequences, List<String> wrong) {}

    private static final String[] BAD = {
            "{\"inputs\": [\"unclosed\"", "{\"inputs\": 7}", "{\"inputs\": []}", "{\"input\": [\"a\", [1]]}"};
    private static final int[] BAD_STATUS = {400, 422, 400, 400};
    private static final String[] BAD_PATH = {"/embed", "/embed", "/embed", "/v1/embeddings"};

    private ServerLoad() {}

    /**
     * @param texts     the texts requests draw from
     * @param reference offline embedding of each text
     * @param untilNanos clients stop starting requests at this time (or after {@code perClient} requests)
     */
    static Outcome run(EmbeddingServer s, int clients, int perClient, long untilNanos, List<String> texts, Map<String, float[]> reference, long seed)
            throws Exception {
        AtomicLong good = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong seqs = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random rnd = new Random(seed * 1000 + c);
                int client = c;
                fs.add(pool.submit(() -> {
                    for (int k = 0; k < perClient && System.nanoTime() < untilNanos; k++) {
                        String tag = "client " + client + " request " + k;
                        try {
                            if (rnd.nextInt(4) == 0) {
                                int b = rnd.nextInt(BAD.length);
                                HttpResponse<String> r = post(s, BAD_PATH[b], BAD[b]);
                                if (r.statusCode() != BAD_STATUS[b] || r.body().contains("\n") || !r.body().contains("\"error\"")) {
                                    wrong.add(tag + ": bad request " + b + " got " + r.statusCode() + " " + r.body());
                                }
                                bad.incrementAndGet();
                                continue;
                            }
                            int n = 1 + rnd.nextInt(8);
                            List<String> pick = new ArrayList<>(n);
                            for (int i = 0; i < n; i++) pick.add(texts.get(rnd.nextInt(texts.size())));
                            boolean openAi = rnd.nextBoolean();
                            boolean base64 = openAi && rnd.nextInt(3) == 0;
                            ObjectNode body = ServerFixture.JSON.createObjectNode();
                            ArrayNode arr = body.putArray(openAi ? "input" : "inputs");
                            pick.forEach(arr::add);
                            body.put("truncate", true);
                            if (base64) body.put("encoding_format", "base64");
                            HttpResponse<String> r = post(s, openAi ? "/v1/embeddings" : "/embed", body.toString());
                            if (r.statusCode() != 200) {
                                wrong.add(tag + ": status " + r.statusCode() + " " + r.body());
                                continue;
                            }
                            JsonNode j = json(r.body());
                            JsonNode rows = openAi ? j.get("data") : j;
                            if (rows.size() != n) {
                                wrong.add(tag + ": " + rows.size() + " embeddings for " + n + " inputs");
                                continue;
                            }
                            for (int i = 0; i < n; i++) {
                                float[] got;
                                if (openAi) {
                                    if (rows.get(i).get("index").asInt() != i) wrong.add(tag + ": index " + rows.get(i).get("index") + " at " + i);
                                    JsonNode e = rows.get(i).get("embedding");
                                    got = base64 ? decode(e.asText()) : floats(e);
                                } else {
                                    got = floats(rows.get(i));
                                }
                                if (!Arrays.equals(got, reference.get(pick.get(i)))) wrong.add(tag + ": input " + i + " differs from the offline embedding");
                            }
                            good.incrementAndGet();
                            seqs.addAndGet(n);
                        } catch (Exception e) {
                            wrong.add(tag + ": " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        }
        return new Outcome(good.get(), bad.get(), seqs.get(), List.copyOf(wrong));
    }

    static float[] decode(String b64) {
        ByteBuffer bb = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[bb.remaining() / 4];
        for (int i = 0; i < v.length; i++) v[i] = bb.getFloat();
        return v;
    }

    /** Sum of a counter's samples in a Prometheus scrape, e.g. {@code lacuna_http_requests_total}. */
    static double sum(String scrape, String name) {
        double t = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) t += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return t;
    }
}
