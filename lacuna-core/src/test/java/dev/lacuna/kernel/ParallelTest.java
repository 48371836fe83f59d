// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel;

import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
class ParallelTest {
    @Test
    void chunksCoverRangeOnGrainBoundaries() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel par = new Parallel(threads)) {
                for (int n : new int[] {1, 2, 3, 7, 64, 1000, 1001}) {
                    for (int grain : new int[] {1, 3, 16, 5000}) {
                        List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
                        par.forRange(n, grain, (s, e) -> chunks.add(new int[] {s, e}));
                        chunks.sort((a, b) -> Integer.compare(a[0], b[0]));
                        assertTrue(chunks.size() <= threads);
                        int at = 0;
                        for (int[] c : chunks) {
                            assertEquals(at, c[0], "gap or overlap, n=" + n + " grain=" + grain);
                            assertTrue(c[1] > c[0]);
                            if (c[1] != n) assertEquals(0, c[1] % grain);
                            at = c[1];
                        }
                        assertEquals(n, at);
                    }
                }
                par.forRange(0, (s, e) -> { throw new AssertionError("n = 0 must not run"); });
            }
        }
    }

    @Test
    void usesSeveralThreadsAndManyLoopsInARow() {
        try (Parallel par = new Parallel(3)) {
            AtomicLong sum = new AtomicLong();
            for (int rep = 0; rep < 20_000; rep++) {
                par.forRange(3, (s, e) -> {
                    for (int i = s; i < e; i++) sum.addAndGet(i + 1);
                });
            }
            assertEquals(20_000L * 6, sum.get());
            List<String> names = Collections.synchronizedList(new ArrayList<>());
            par.forRange(3, (s, e) -> {
                names.add(Thread.currentThread().getName());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(3, names.stream().distinct().count(), names.toString());
        }
    }

    @Test
    void exceptionsPropagateAfterAllChunksFinish() {
        try (Parallel par = new Parallel(3)) {
            AtomicInteger done = new AtomicInteger();
            IllegalStateException ex = new IllegalStateException("boom");
            IllegalStateException got = assertThrows(IllegalStateException.class, () -> par.forRange(3, (s, e) -> {
                if (s == 2) throw ex;
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                done.incrementAndGet();
            }));
            assertSame(ex, got);
            assertEquals(2, done.get());
            assertThrows(AssertionError.class, () -> par.forRange(2, (s, e) -> {
                if (s == 0) throw new AssertionError("caller chunk");
            }));
            // Still usable.
            AtomicInteger c = new AtomicInteger();
            par.forRange(3, (s, e) -> c.addAndGet(e - s));
            assertEquals(3, c.get());
        }
    }

    @Test
    void nestedAndConcurrentCallsRunInline() throws Exception {
        try (Parallel par = new Parallel(2)) {
            AtomicInteger inner = new AtomicInteger();
            par.forRange(2, (s, e) -> par.forRange(10, (a, b) -> inner.addAndGet(b - a)));
            assertEquals(20, inner.get());

            AtomicLong total = new AtomicLong();
            Thread[] ts = new Thread[4];
            for (int t = 0; t < ts.length; t++) {
                ts[t] = new Thread(() -> {
                    for (int rep = 0; rep < 2000; rep++) par.forRange(100, 7, (a, b) -> total.addAndGet(b - a));
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            assertEquals(4L * 2000 * 100, total.get());
        }
    }

    @Test
    void dynamicChunksAreFixedByNAndChunkAndEachRunsOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (Parallel par = new Parallel(threads)) {
                for (int n : new int[] {1, 2, 7, 64, 1001}) {
                    for (int chunk : new int[] {1, 3, 16, 5000}) {
                        for (int rep = 0; rep < 20; rep++) {
                            List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
                            par.forChunks(n, chunk, (s, e) -> chunks.add(new int[] {s, e}));
                            chunks.sort((a, b) -> Integer.compare(a[0], b[0]));
                            // exactly the chunks [c·chunk, min(n, (c+1)·chunk)), whoever ran them
                            assertEquals((n + chunk - 1) / chunk, chunks.size(), "n=" + n + " chunk=" + chunk);
                            for (int c = 0; c < chunks.size(); c++) {
                                assertEquals(c * chunk, chunks.get(c)[0]);
                                assertEquals(Math.min(n, (c + 1) * chunk), chunks.get(c)[1]);
                            }
                        }
                    }
                }
                par.forChunks(0, 4, (s, e) -> { throw new AssertionError("n = 0 must not run"); });
            }
        }
    }

    @Test
    void dynamicChunksFlowAroundADelayedThread() {
        try (Parallel par = new Parallel(2)) {
            // the first chunk a worker takes stalls it; the caller must take the other chunks meanwhile
            List<String> who = Collections.synchronizedList(new ArrayList<>());
            String caller = Thread.currentThread().getName();
            AtomicInteger stalled = new AtomicInteger();
            par.forChunks(40, 1, (s, e) -> {
                String me = Thread.currentThread().getName();
                who.add(me);
                if (!me.equals(caller) && stalled.getAndIncrement() == 0) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            assertEquals(40, who.size());
            long byCaller = who.stream().filter(caller::equals).count();
            assertTrue(byCaller >= 30, "the caller ran " + byCaller + " of 40 chunks while the worker was stalled: " + who);
        }
    }

    @Test
    void dynamicChunksRethrowAfterAllChunksAndStayUsable() {
        try (Parallel par = new Parallel(3)) {
            AtomicInteger done = new AtomicInteger();
            IllegalStateException ex = new IllegalStateException("boom");
            IllegalStateException got = assertThrows(IllegalStateException.class, () -> par.forChunks(30, 1, (s, e) -> {
                if (s == 7) throw ex;
                done.incrementAndGet();
            }));
            assertSame(ex, got);
            assertEquals(29, done.get(), "every other chunk still ran");
            AtomicInteger c = new AtomicInteger();
            for (int rep = 0; rep < 5000; rep++) {
                par.forChunks(9, 2, (s, e) -> c.addAndGet(e - s));
                par.forRange(9, 2, (s, e) -> c.addAndGet(e - s));
            }
            assertEquals(5000 * 18, c.get(), "static and dynamic loops interleave");
        }
    }

    @Test
    void closedTeamRunsOnCaller() {
        Parallel par = new Parallel(3);
        par.close();
        par.close();
        AtomicInteger c = new AtomicInteger();
        par.forRange(5, (s, e) -> {
            assertEquals(0, s);
            assertEquals(5, e);
            c.incrementAndGet();
        });
        assertEquals(1, c.get());
        assertThrows(IllegalArgumentException.class, () -> new Parallel(0));
        assertEquals(1, Parallel.serial().threads());
    }
}
