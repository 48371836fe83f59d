// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.retrieval.SparseVector;
import dev.lacuna.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dynamic batching: one thread takes the sequences of every waiting request, packs as many as fit in
 * {@code maxBatchTokens} into one forward pass (packed without padding, as {@link SentenceEncoder} does),
 * and hands each request its own rows back. Requests arriving while a pass runs go into the next one,
 * so the batch grows with the load; a request larger than one pass is spread over several. While
 * requests keep arriving during passes, a lone request may wait up to one pass time for a companion
 * ({@code --max-batch-wait-ms}, see {@link #loop}).
 */
final class EmbeddingBatcher implements AutoCloseable {
    /** Embeddings [n][C] and, when asked for, term weights [n] of one request's n inputs, in order. */
    record Result(float[][] embeddings, SparseVector[] terms) {}

    /** Term weights of one packed sequence from the forward pass's token states. */
    interface TermWeigher {
        /**
         * @param ids    packed ids of the batch [T]
         * @param hidden last hidden state [T, C]
         * @param start  the sequence's first row
         * @param len    its length
         * @param pooled its embedding [C]
         */
        SparseVector weigh(int[] ids, float[] hidden, int start, int len, float[] pooled);
    }

    /** What each pass did, for metrics. */
    interface PassObserver {
        void onPass(int sequences, int tokens, long nanos);
    }

    private static final class Job {
        final int[][] seqs;
        final float[][] embeddings;
        final SparseVector[] terms;
        final CompletableFuture<Result> future = new CompletableFuture<>();
        int next; // batcher thread only
        int done; // batcher thread only

        Job(int[][] seqs, boolean terms) {
            this.seqs = seqs;
            this.embeddings = new float[seqs.length][];
            this.terms = terms ? new SparseVector[seqs.length] : null;
        }
    }

    private final SentenceEncoder encoder;
    private final Parallel par;
    private final int maxBatchTokens;
    private final TermWeigher weigher;
    private final PassObserver observer;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedSequences = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private Job partial; // the job whose sequences did not all fit in the last pass (batcher thread only)
    /**
     * Longest wait for a second request before a pass of one, in ns (0: never wait), taken only while
     * requests keep arriving during passes (see {@link #loop}).
     */
    private final long maxWaitNanos;
    /** Passes that waited for a companion, and how many of those got one. */
    private final AtomicLong waits = new AtomicLong(), companions = new AtomicLong();
    /** Requests arriving during a pass, averaged over passes (EWMA, batcher thread only). */
    private double arrivalsPerPass;
    /** Time of a pass, averaged over passes, in ns (EWMA, batcher thread only). */
    private double passNanos;

    /** @param maxWaitMillis longest a lone request waits for a companion while requests arrive during passes; 0: never */
    EmbeddingBatcher(SentenceEncoder encoder, int threads, int maxBatchTokens, double maxWaitMillis, TermWeigher weigher, PassObserver observer) {
        this.maxWaitNanos = (long) (maxWaitMillis * 1e6);
        this.encoder = encoder;
        this.par = new Parallel(threads);
        this.maxBatchTokens = maxBatchTokens;
        this.weigher = weigher;
        this.observer = observer;
        this.thread = Thread.ofPlatform().name("lacuna-batcher").daemon(true).unstarted(this::loop);
        thread.start();
    }

    /** Passes whose lone request waited for a companion so far, and of those, the ones that got one. */
    long[] waits() {
        return new long[] {waits.get(), companions.get()};
    }

    /** Sequences waiting for a forward pass. */
    long queuedSequences() {
        return queuedSequences.get();
    }

    /** Queues {@code seqs} (each no longer than {@code maxBatchTokens}); the future completes with their results. */
    CompletableFuture<Result> submit(int[][] seqs, boolean terms) {
        if (terms && weigher == null) throw new IllegalStateException("no term weigher");
        for (int[] s : seqs) {
            if (s.length > maxBatchTokens) throw new IllegalArgumentException("sequence of " + s.length + " tokens > maxBatchTokens " + maxBatchTokens);
        }
        Job j = new Job(seqs, terms);
        if (closed) {
            j.future.completeExceptionally(new ApiError(ApiError.Kind.SHUTTING_DOWN, "the server is shutting down"));
            return j.future;
        }
        if (seqs.length == 0) {
            j.future.complete(new Result(j.embeddings, j.terms));
            return j.future;
        }
        queuedSequences.addAndGet(seqs.length);
        queue.add(j);
        return j.future;
    }

    private void loop() {
        while (true) {
            Job first = partial;
            partial = null;
            if (first == null) {
                try {
                    first = queue.poll(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    first = null;
                }
                if (first == null) {
                    if (closed && queue.isEmpty()) return;
                    continue;
                }
            }
            Job second = null;
            // A pass of one sequence costs nearly what a pass of two does. While requests keep arriving
            // during passes (half or more of a request per pass on average), a lone request waits up to
            // one pass time (capped) for a companion, which halves the passes at loads where passes of one
            // would keep the batcher busy all the time. A single client waiting for its answer never sends
            // during a pass, so its requests never wait.
            if (maxWaitNanos > 0 && arrivalsPerPass >= 0.5 && first.seqs.length - first.next == 1 && queue.isEmpty()) {
                waits.incrementAndGet();
                try {
                    second = queue.poll((long) Math.min(maxWaitNanos, passNanos), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    second = null;
                }
                if (second != null) companions.incrementAndGet();
            }
            runPass(first, second);
        }
    }

    /** Packs sequences from {@code first} on, then from the queue, up to the token budget, and runs them. */
    private void runPass(Job first, Job second) {
        List<Job> owners = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        List<Encoding> encodings = new ArrayList<>();
        int tokens = 0;
        boolean anyTerms = false;
        Job j = first;
        collect:
        while (j != null) {
            while (j.next < j.seqs.length) {
                int len = j.seqs[j.next].length;
                if (tokens > 0 && tokens + len > maxBatchTokens) {
                    partial = j;
                    break collect;
                }
                owners.add(j);
                slots.add(j.next);
                encodings.add(new Encoding(j.seqs[j.next], false));
                anyTerms |= j.terms != null;
                tokens += len;
                j.next++;
            }
            if (second != null) {
                j = second;
                second = null;
            } else {
                j = queue.poll();
            }
        }
        long queuedAtStart = queuedSequences.addAndGet(-encodings.size());
        long t0 = System.nanoTime();
        long arrived = 0;
        try {
            SentenceEncoder.BatchListener listener = !anyTerms ? null : (inputs, batch, hidden, pooled) -> {
                for (int b = 0; b < inputs.length; b++) {
                    Job o = owners.get(inputs[b]);
                    if (o.terms == null) continue;
                    o.terms[slots.get(inputs[b])] = weigher.weigh(batch.ids(), hidden, batch.seqStarts()[b], batch.length(b), pooled[b]);
                }
            };
            float[][] vecs = encoder.embedEncodings(par, encodings, encodings.size(), null, listener);
            // counted before any answer goes out: a client that sends its next request on its answer
            // must not count as an arrival during this pass
            arrived = queuedSequences.get() - queuedAtStart;
            for (int i = 0; i < vecs.length; i++) {
                Job o = owners.get(i);
                o.embeddings[slots.get(i)] = vecs[i];
                if (++o.done == o.seqs.length) o.future.complete(new Result(o.embeddings, o.terms));
            }
        } catch (RuntimeException | Error e) {
            for (Job o : owners) o.future.completeExceptionally(e);
            if (partial != null && owners.contains(partial)) {
                queuedSequences.addAndGet(-(partial.seqs.length - partial.next));
                partial = null;
            }
        }
        long took = System.nanoTime() - t0;
        arrivalsPerPass = 0.9 * arrivalsPerPass + 0.1 * Math.max(0, arrived);
        passNanos = passNanos == 0 ? took : 0.9 * passNanos + 0.1 * took;
        if (observer != null) observer.onPass(encodings.size(), tokens, took);
    }

    /** Stops taking requests, finishes the queued ones, then stops the thread and the worker team. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Job j; (j = queue.poll()) != null; ) {
            j.future.completeExceptionally(new ApiError(ApiError.Kind.SHUTTING_DOWN, "the server is shutting down"));
        }
        par.close();
    }
}
