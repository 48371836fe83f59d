// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Timing sections charge their part, and cost no allocation, on or off. */
class ProfileTest {
    @Test
    void sectionsChargeTheirPartInFirstUseOrder() throws Exception {
        Profile p = new Profile();
        for (int i = 0; i < 3; i++) {
            try (var _ = Profile.time(p, "b")) {
                Thread.sleep(2);
            }
            try (var _ = Profile.time(p, "a")) {
                Thread.sleep(1);
            }
        }
        assertEquals(List.of("b", "a"), List.copyOf(p.nanos().keySet()));
        assertTrue(p.nanos().get("b") >= 6_000_000L && p.nanos().get("a") >= 3_000_000L, p.nanos().toString());
    }

    @Test
    void sectionsDoNotAllocate() {
        Profile on = new Profile();
        assertSame(Profile.time(null, "x"), Profile.time(null, "y"), "off: one shared no-op");
        assertSame(Profile.time(on, "x"), Profile.time(on, "y"), "on: one section per profile");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            try (var _ = Profile.time(null, "ffn")) {
                // nothing: the section alone is measured
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 1024, allocated + " bytes allocated by 100,000 sections with profiling off");
    }
}
