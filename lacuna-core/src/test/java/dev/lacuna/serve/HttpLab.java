// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lab (not a test) against a running {@code lacuna serve} on 127.0.0.1, from a process of its own:
 * <pre>
 * java -cp target/test-classes:target/classes dev.lacuna.serve.HttpLab floor PORT /health
 * java -cp ... dev.lacuna.serve.HttpLab floor PORT /v1/embeddings '{"input":"a sentence"}'
 * java -cp ... dev.lacuna.serve.HttpLab load PORT CLIENTS SECONDS ../shared/data/stsb/stsb-en-dev.csv
 * </pre>
 * {@code floor}: the round trip of one route over a raw keep-alive socket (the machine's HTTP floor)
 * and with the JDK {@link HttpClient}. {@code load}: closed-loop JDK clients sending one STS-B sentence
 * each, and the CPU this client process itself takes per request (what an in-process load generator
 * steals from the server on a small machine).
 */
public final class HttpLab {
    private HttpLab() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        if (args[0].equals("floor")) floor(port, args[2], args.length > 3 ? args[3] : null);
        else load(port, Integer.parseInt(args[2]), Double.parseDouble(args[3]), Path.of(args[4]));
    }

    static void floor(int port, String path, String body) throws Exception {
        long[] t = new long[200];
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            byte[] req = (body == null ? "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"
                    : "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                out.write(req);
                out.flush();
                in.readNBytes(contentLength(in));
                t[i] = System.nanoTime() - t0;
            }
        }
        report("raw keep-alive socket " + path, t);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < t.length; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            HttpRequest r = body == null ? b.GET().build() : b.POST(HttpRequest.BodyPublishers.ofString(body)).build();
            long t0 = System.nanoTime();
            http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            t[i] = System.nanoTime() - t0;
        }
        report("JDK HttpClient " + path, t);
    }

    /** Reads the response head; returns its Content-Length. */
    private static int contentLength(InputStream in) throws Exception {
        int len = -1;
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String l = line.toString().strip();
            line.setLength(0);
            if (l.isEmpty()) break;
            if (l.toLowerCase(Locale.ROOT).startsWith("content-length:")) len = Integer.parseInt(l.substring(15).strip());
        }
        if (len < 0) throw new IllegalStateException("response without Content-Length");
        return len;
    }

    private static void report(String what, long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%s: p10 %.3f ms, p50 %.3f ms, p90 %.3f ms (%d requests)%n", what, s[s.length / 10] / 1e6,
                s[s.length / 2] / 1e6, s[s.length * 9 / 10] / 1e6, s.length);
    }

    static void load(int port, int clients, double seconds, Path stsb) throws Exception {
        List<String> texts = new ArrayList<>();
        for (String l : Files.readAllLines(stsb)) {
            String[] f = l.split(",");
            if (f.length >= 3) texts.add(f[0].replace("\"", "").replace("\\", ""));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/embeddings");
        AtomicInteger next = new AtomicInteger(), good = new AtomicInteger();
        for (double phase : new double[] {3, seconds}) { // a warm-up, then the measured load
            good.set(0);
            long end = System.nanoTime() + (long) (phase * 1e9);
            long cpu0 = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
            long t0 = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        String body = "{\"input\":[\"" + texts.get(Math.floorMod(next.getAndIncrement(), texts.size())) + "\"],\"truncate\":true}";
                        HttpRequest r = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        if (http.send(r, HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200) good.incrementAndGet();
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.HOURS);
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos() - cpu0) / 1e9;
            if (phase == seconds) {
                System.out.printf(Locale.ROOT, "%d clients: %.1f good requests/s; this client process used %.2f cores, %.2f ms of CPU per request%n",
                        clients, good.get() / wall, cpu / wall, cpu * 1e3 / good.get());
            }
        }
    }
}
