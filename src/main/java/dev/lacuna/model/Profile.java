package dev.lacuna.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time spent per part of the forward pass, for {@code bench --profile}. Not thread-safe: one caller. */
public final class Profile {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long mark;

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
