// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that POSTs JSON and reads the whole response, for {@link ServeBenchmark}'s
 * load: blocking, one request at a time, reconnecting when the server closes. It is what load generators
 * such as wrk or oha do, so that the measurement is of the server: the JDK's {@code HttpClient} cost
 * the clients a few percent of the two cores and kept the JIT recompiling its selector and
 * exchange code for minutes (docs/BENCHMARKS.md, "Embedding server"). Correctness against real clients
 * is tested elsewhere (langchain4j's OpenAI client, the JDK client in the fault tests).
 *
 * <p>Reads {@code Content-Length} and {@code chunked} bodies; not thread-safe (one per client thread).
 */
final class LoadClient implements AutoCloseable {
    private final String host;
    private final int port;
    private final byte[] head; // request line and headers up to "Content-Length: "
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    /** A client for {@code POST path} on {@code base} (http://host:port). */
    LoadClient(URI base, String path) {
        this.host = base.getHost();
        this.port = base.getPort();
        this.head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/json\r\n"
                + "Accept: application/json\r\nContent-Length: ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends {@code body}, reads the response whole; returns its status. Retries once on a connection the server had closed. */
    int post(byte[] body) throws IOException {
        for (int attempt = 0; ; attempt++) {
            boolean fresh = socket == null;
            try {
                if (fresh) connect();
                out.write(head);
                out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                if (fresh || attempt > 0) throw e;
            }
        }
    }

    /** Opens the connection now instead of at the first request (a no-op when open). */
    void open() throws IOException {
        if (socket == null) connect();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(60_000);
        socket = s;
        out = new java.io.BufferedOutputStream(s.getOutputStream(), 16 * 1024);
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    }

    private int readResponse() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.")) throw new IOException("not an HTTP response: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false, close = false;
        for (String h; !(h = line()).isEmpty(); ) {
            int c = h.indexOf(':');
            if (c < 0) continue;
            String name = h.substring(0, c).trim().toLowerCase(Locale.ROOT), value = h.substring(c + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        if (chunked) {
            for (long n; (n = Long.parseLong(line().split(";", 2)[0].trim(), 16)) > 0; ) {
                skip(n);
                line();
            }
            while (!line().isEmpty()) { } // trailers
        } else if (length >= 0) {
            skip(length);
        } else {
            close = true; // read to the end
            while (in.read() >= 0) { }
        }
        if (close) close();
        return code;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) throw new IOException("connection closed inside a response body");
                k = 1;
            }
            n -= k;
        }
    }

    /** One header line without its CRLF. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder(64);
        for (int b; ; ) {
            b = in.read();
            if (b < 0) throw new IOException("connection closed inside a response");
            if (b == '\n') break;
            if (b != '\r') sb.append((char) b);
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        socket = null;
        out = null;
        in = null;
    }
}
