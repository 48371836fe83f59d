// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.model.Batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Tokenized calibration sequences packed into batches of at most {@code maxTokens} tokens (a longer
 * sequence gets a batch of its own). Immutable.
 */
public final class CalibrationSet {
    public static final int DEFAULT_BATCH_TOKENS = 4096;

    private final List<Batch> batches;
    private final int sequences;
    private final long tokens;

    private CalibrationSet(List<Batch> batches, int sequences, long tokens) {
        this.batches = batches;
        this.sequences = sequences;
        this.tokens = tokens;
    }

    public static CalibrationSet of(List<int[]> ids) {
        return of(ids, DEFAULT_BATCH_TOKENS);
    }

    public static CalibrationSet of(List<int[]> ids, int maxTokens) {
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        List<Batch> out = new ArrayList<>();
        List<int[]> cur = new ArrayList<>();
        long total = 0;
        int curTokens = 0;
        for (int i = 0; i < ids.size(); i++) {
            int[] s = ids.get(i);
            if (s == null || s.length == 0) throw new LacunaException("calibration sequence " + i + " is empty");
            if (!cur.isEmpty() && curTokens + s.length > maxTokens) {
                out.add(Batch.of(cur.toArray(int[][]::new)));
                cur.clear();
                curTokens = 0;
            }
            cur.add(s.clone());
            curTokens += s.length;
            total += s.length;
        }
        if (!cur.isEmpty()) out.add(Batch.of(cur.toArray(int[][]::new)));
        return new CalibrationSet(Collections.unmodifiableList(out), ids.size(), total);
    }

    public List<Batch> batches() {
        return batches;
    }

    public int sequences() {
        return sequences;
    }

    public long tokens() {
        return tokens;
    }

    public boolean isEmpty() {
        return sequences == 0;
    }
}
