// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.server.AbstractNetworkConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code lacuna serve}: one model behind OpenAI- and text-embeddings-inference-compatible routes on
 * Javalin (Jetty 12). Every route goes through {@link #route}, which holds the rules in one place:
 * authorisation, admission (429 beyond {@code maxConcurrentRequests}), the body limits, one-line JSON
 * errors in the route's dialect, and metrics. {@link #close} stops accepting, lets in-flight requests
 * finish, then stops the batcher.
 */
public final class EmbeddingServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A route's work: the parsed body (null for GET) to a response object serialised as JSON. */
    private interface Work {
        Object run(JsonNode body) throws Exception;
    }

    private final ServerOptions opt;
    private final ServedModel model;
    private final ServerMetrics metrics;
    private final Semaphore admission;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final byte[] expectedAuth;
    private final ScheduledExecutorService watchdog;
    private final Javalin app;
    private volatile boolean draining;
    private boolean closed;

    private EmbeddingServer(String name, String source, SentenceEncoder encoder, ServerOptions opt, SparseFeatureEncoder sae) {
        int limit = encoder.tokenizer().maxLength();
        if (opt.maxInputTokens() > limit) {
            throw new LacunaException("--max-input-tokens " + opt.maxInputTokens() + " is more than model '" + name + "' takes (" + limit + " tokens)");
        }
        this.opt = opt;
        this.admission = new Semaphore(opt.maxConcurrentRequests());
        this.expectedAuth = opt.apiKey() == null ? null : ("Bearer " + opt.apiKey()).getBytes(StandardCharsets.UTF_8);
        this.metrics = new ServerMetrics(this::queuedSequences, inFlight);
        this.model = new ServedModel(name, source, encoder, opt, sae, metrics);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true).name("lacuna-body-watchdog").unstarted(r));
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.prefer405over404 = true;
            cfg.jetty.host = opt.host();
            cfg.jetty.port = opt.port();
            cfg.routes.post("/v1/embeddings", route("/v1/embeddings", true, true, b -> OpenAiRoutes.embeddings(model, b)));
            cfg.routes.get("/v1/models", route("/v1/models", false, false, b -> OpenAiRoutes.models(model)));
            cfg.routes.post("/embed", route("/embed", true, true, b -> TeiRoutes.embed(model, b)));
            cfg.routes.post("/embed_sparse", route("/embed_sparse", true, true, b -> TeiRoutes.embedSparse(model, b)));
            cfg.routes.post("/tokenize", route("/tokenize", false, true, b -> TeiRoutes.tokenize(model, b)));
            cfg.routes.get("/info", route("/info", false, false, b -> TeiRoutes.info(model, opt)));
            cfg.routes.get("/health", route("/health", false, false, b -> {
                if (draining) throw new ApiError(ApiError.Kind.SHUTTING_DOWN, "the server is shutting down");
                return java.util.Map.of("status", "ok");
            }));
            cfg.routes.get("/metrics", route("/metrics", false, false, b -> new Text(metrics.scrape())));
            cfg.routes.error(404, ctx -> writeError(ctx, new ApiError(ApiError.Kind.NOT_FOUND, "no route " + ctx.method() + " " + ctx.path())));
            cfg.routes.error(405, ctx -> writeError(ctx, new ApiError(ApiError.Kind.METHOD_NOT_ALLOWED, "method " + ctx.method() + " is not allowed on " + ctx.path())));
        });
    }

    private long queuedSequences() {
        return model == null ? 0 : model.batcher.queuedSequences();
    }

    /** A plain-text response (Prometheus exposition format). */
    private record Text(String text) {}

    /**
     * Starts a server for {@code encoder}; {@code sae} may be null. With port 0 a free port is taken:
     * {@link #port()} tells which.
     */
    public static EmbeddingServer start(String name, String source, SentenceEncoder encoder, ServerOptions opt, SparseFeatureEncoder sae) {
        EmbeddingServer s = new EmbeddingServer(name, source, encoder, opt, sae);
        try {
            s.app.start();
        } catch (RuntimeException e) {
            s.model.batcher.close();
            s.watchdog.shutdownNow();
            throw new LacunaException("cannot listen on " + opt.host() + ":" + opt.port() + " (" + RequestBody.oneLine(String.valueOf(rootCause(e).getMessage())) + ")", e);
        }
        for (Connector c : s.app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractNetworkConnector n) n.setIdleTimeout(opt.idleTimeoutMillis());
        }
        return s;
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }

    public int port() {
        return app.port();
    }

    /** {@code http://host:port}. */
    public String baseUrl() {
        String h = opt.host().contains(":") ? "[" + opt.host() + "]" : opt.host();
        return "http://" + h + ":" + port();
    }

    /**
     * @param embeds    whether the route queues forward passes (and so counts against admission)
     * @param readsBody whether the route takes a JSON object body
     */
    private io.javalin.http.Handler route(String name, boolean embeds, boolean readsBody, Work work) {
        return ctx -> {
            long t0 = System.nanoTime();
            active.incrementAndGet();
            // a request stays active until its response is written: the handler only sets the result, which
            // Javalin writes after it returns, and close() must not stop the server in between
            ServletContextRequest core = ServletContextRequest.getServletContextRequest(ctx.req());
            if (core != null) Request.addCompletionListener(core, failure -> active.decrementAndGet());
            boolean admitted = false;
            int status = 200;
            try {
                if (!name.equals("/health")) authorise(ctx);
                if (draining && !name.equals("/health")) throw new ApiError(ApiError.Kind.SHUTTING_DOWN, "the server is shutting down");
                if (embeds) {
                    if (!admission.tryAcquire()) {
                        ctx.header("Retry-After", "1");
                        throw new ApiError(ApiError.Kind.OVERLOADED, "more than " + opt.maxConcurrentRequests()
                                + " concurrent requests (--max-concurrent-requests); retry later");
                    }
                    admitted = true;
                    inFlight.incrementAndGet();
                }
                JsonNode body = readsBody ? RequestBody.jsonObject(JSON, readBody(ctx)) : null;
                Object out = work.run(body);
                if (out instanceof Text t) {
                    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(t.text());
                } else {
                    ctx.contentType("application/json").result(JSON.writeValueAsBytes(out));
                }
            } catch (ApiError e) {
                status = writeError(ctx, e);
            } catch (IOException e) {
                // the client went away or was too slow: nobody is left to answer
                status = 499;
                ctx.status(400);
            } catch (Exception e) {
                System.err.println("lacuna serve: internal error on " + name + ": " + RequestBody.oneLine(String.valueOf(e)));
                status = writeError(ctx, new ApiError(ApiError.Kind.INTERNAL, "internal error: " + RequestBody.oneLine(String.valueOf(e))));
            } finally {
                if (admitted) {
                    inFlight.decrementAndGet();
                    admission.release();
                }
                metrics.onRequest(name, status, System.nanoTime() - t0);
                if (core == null) active.decrementAndGet();
            }
        };
    }

    private void authorise(Context ctx) {
        if (expectedAuth == null) return;
        String h = ctx.header("Authorization");
        if (h == null || !MessageDigest.isEqual(expectedAuth, h.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(ApiError.Kind.UNAUTHORIZED, h == null ? "missing 'Authorization: Bearer <key>' header" : "invalid API key");
        }
    }

    /** The body within the size limit; a body not complete within the body timeout has its connection closed. */
    private byte[] readBody(Context ctx) throws IOException {
        ServletContextRequest core = ServletContextRequest.getServletContextRequest(ctx.req());
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            if (core != null) core.getConnectionMetaData().getConnection().getEndPoint().close();
        }, opt.bodyTimeoutMillis(), TimeUnit.MILLISECONDS);
        try {
            return RequestBody.read(ctx.req(), opt.maxBodyBytes());
        } finally {
            timer.cancel(false);
        }
    }

    /** Writes {@code e} in the dialect of the route (OpenAI under /v1, else text-embeddings-inference); returns the status. */
    private static int writeError(Context ctx, ApiError e) {
        boolean openAi = ctx.path().startsWith("/v1/");
        int status = openAi ? e.kind.openAiStatus : e.kind.teiStatus;
        ObjectNode root = JSON.createObjectNode();
        if (openAi) {
            ObjectNode err = root.putObject("error");
            err.put("message", e.getMessage());
            err.put("type", e.kind.openAiType);
            err.put("param", e.param);
            err.put("code", e.kind.openAiCode);
        } else {
            root.put("error", e.getMessage());
            root.put("error_type", e.kind.teiType);
        }
        if (e.kind == ApiError.Kind.TOO_LARGE || e.kind == ApiError.Kind.SHUTTING_DOWN) ctx.header("Connection", "close");
        ctx.status(status).contentType("application/json").result(root.toString());
        return status;
    }

    /** Requests whose handler is running now (for tests that must act while one is in flight). */
    long activeRequests() {
        return active.get();
    }

    /** The forward passes run so far (for {@code bench serve}: how full the batches were, how long a pass took). */
    ServerMetrics.Passes passes() {
        return metrics.passes();
    }

    /** What {@code GET /metrics} would answer now (for labs that compare two moments). */
    String metricsText() {
        return metrics.scrape();
    }

    /** Embedding requests holding an admission place now (for tests of the 429 limit). */
    long admittedRequests() {
        return inFlight.get();
    }

    /**
     * Stops accepting connections, answers 503 to new requests on open ones, waits up to the drain
     * timeout for in-flight requests, then stops the HTTP server and the batcher.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        draining = true;
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractNetworkConnector n) n.setAccepting(false);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(opt.drainTimeoutMillis());
        while (active.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        model.batcher.close();
        watchdog.shutdownNow();
    }

    /**
     * Runs a few passes of every length up to the model's maximum, so that the JIT has compiled the
     * kernels before the first request: interpreted Vector API code is orders of magnitude slower, and
     * the first requests would pay for it. (It once also changed the last bits: attention summed lanes
     * in a JIT-dependent order; {@code JitWarmthTest} now holds the bits independent of warmth.)
     */
    public static void warmUp(SentenceEncoder encoder, int threads) {
        int max = encoder.tokenizer().maxLength();
        int[] text = encoder.tokenizer().withMaxLength(max).encode("the quick brown fox jumps over the lazy dog ".repeat(64)).ids();
        List<dev.lacuna.tokenizer.Encoding> batch = new java.util.ArrayList<>();
        for (int len = 3; len <= max; len = len < max && len * 2 > max ? max : len * 2) {
            int[] ids = java.util.Arrays.copyOf(text, len);
            ids[len - 1] = text[text.length - 1];
            batch.add(new dev.lacuna.tokenizer.Encoding(ids, false));
            if (len == max) break;
        }
        try (dev.lacuna.concurrent.Parallel par = new dev.lacuna.concurrent.Parallel(threads)) {
            for (int i = 0; i < 4; i++) {
                encoder.embedEncodings(par, batch, batch.size(), null);
                encoder.embedEncodings(par, batch, 1 + i, null);
            }
        }
    }

    /** Routes served, for the start-up line. */
    public static List<String> routes() {
        return List.of("POST /v1/embeddings", "GET /v1/models", "POST /embed", "POST /embed_sparse", "POST /tokenize",
                "GET /info", "GET /health", "GET /metrics");
    }

    /** Writes a one-line start-up message to {@code log}. */
    public void announce(PrintStream log) {
        log.println("lacuna serve: model " + model.name + " (" + model.dim + " dims) listening on " + baseUrl()
                + (opt.apiKey() == null ? "" : " (API key required)"));
        log.flush();
    }
}
