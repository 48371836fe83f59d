// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time spent per part of the forward pass, for {@code bench --profile}. Not thread-safe: one caller. */
public final class Profile {
    /** One timed part; closing it charges the time since it began. */
    public interface Section extends AutoCloseable {
        @Override
        void close();
    }

    /** What {@link #time} returns when profiling is off: closing it does nothing. */
    private static final Section OFF = () -> { };

    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private final Section open = this::closeSection; // the one section of this profile: timing allocates nothing
    private String part;
    private long mark;

    /**
     * Times {@code part} until the returned section is closed: {@code try (var _ = Profile.time(prof, "ffn")) {...}}.
     * With {@code prof} null, a shared no-op, so the hot path neither allocates nor reads the clock.
     * Sections do not nest.
     */
    public static Section time(Profile prof, String part) {
        if (prof == null) return OFF;
        prof.part = part;
        prof.start();
        return prof.open;
    }

    private void closeSection() {
        lap(part);
    }

    /** Starts timing the next part. */
    public void start() {
        mark = System.nanoTime();
    }

    /** Charges the time since the last {@link #start} or {@code lap} to {@code part}. */
    public void lap(String part) {
        long now = System.nanoTime();
        nanos.merge(part, now - mark, Long::sum);
        mark = now;
    }

    public void add(String part, long ns) {
        nanos.merge(part, ns, Long::sum);
    }

    public Map<String, Long> nanos() {
        return nanos;
    }
}
