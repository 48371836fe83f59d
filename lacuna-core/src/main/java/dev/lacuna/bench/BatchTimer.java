// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.bench;

import java.util.Arrays;

/** Per-batch wall times of one engine in a benchmark. */
final class BatchTimer {
    private long[] nanos = new long[64];
    private int n;
    private long sentences;
    private long total;

    void add(long ns, int sentencesInBatch) {
        if (n == nanos.length) nanos = Arrays.copyOf(nanos, n * 2);
        nanos[n++] = ns;
        total += ns;
        sentences += sentencesInBatch;
    }

    long totalNanos() {
        return total;
    }

    int batches() {
        return n;
    }

    double sentencesPerSecond() {
        return total == 0 ? 0 : sentences / (total / 1e9);
    }

    double medianMs() {
        if (n == 0) return 0;
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        double m = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        return m / 1e6;
    }
}
