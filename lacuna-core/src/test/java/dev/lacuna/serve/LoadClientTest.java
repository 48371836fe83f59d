// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link LoadClient} reads fixed-length and chunked bodies whole, keeps its connection across requests,
 * and reconnects when the server closes it: against the JDK's own HTTP server on loopback.
 */
class LoadClientTest {
    @Test
    void fixedLengthChunkedAndClosedConnections() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger bodies = new AtomicInteger();
        server.createContext("/fixed", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            bodies.addAndGet(in.length);
            byte[] out = "x".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.createContext("/chunked", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(201, 0); // 0: chunked
            for (int i = 0; i < 5; i++) ex.getResponseBody().write("y".repeat(9_000).getBytes(StandardCharsets.US_ASCII));
            ex.close();
        });
        server.createContext("/close", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Connection", "close");
            ex.sendResponseHeaders(429, -1); // no body
            ex.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            byte[] body = "{\"input\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
            try (LoadClient fixed = new LoadClient(base, "/fixed"); LoadClient chunked = new LoadClient(base, "/chunked");
                 LoadClient closing = new LoadClient(base, "/close")) {
                for (int i = 0; i < 20; i++) {
                    assertEquals(200, fixed.post(body));
                    assertEquals(201, chunked.post(body));
                    assertEquals(429, closing.post(body));
                }
            }
            assertEquals(20 * body.length, bodies.get(), "every request body arrived whole");
        } finally {
            server.stop(0);
        }
    }
}
