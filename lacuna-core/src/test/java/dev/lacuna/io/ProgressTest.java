// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lacuna.LacunaException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain mode (stderr not a terminal) writes a line every 5 s and one at the end, never a carriage return. */
class ProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now = 1_000_000_000L;

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainWritesOneLineEveryFiveSecondsAndAtTheEnd() {
        try (Progress p = new Progress("embed", 1000, Progress.Mode.PLAIN, out, () -> now)) {
            for (int i = 0; i < 1000; i++) {
                now += 20_000_000L; // 20 ms an item: 20 s in all
                p.advance(1);
            }
        }
        String text = text();
        assertFalse(text.contains("\r"), text);
        List<String> lines = text.lines().toList();
        // at 5, 10 and 15 s (the item at 20 s is the last, which the end line reports), then the end
        assertEquals(List.of("embed 250/1000 25% 50.0/s eta 15s", "embed 500/1000 50% 50.0/s eta 10s",
                "embed 750/1000 75% 50.0/s eta 5s", "embed 1000/1000 100% 50.0/s in 20.0s"), lines);
    }

    @Test
    void plainShortJobWritesOnlyTheEndLine() {
        try (Progress p = new Progress("prune", 10, Progress.Mode.PLAIN, out, () -> now)) {
            for (int i = 0; i < 10; i++) {
                now += 100_000_000L;
                p.advance(1);
            }
        }
        assertEquals(List.of("prune 10/10 100% 10.0/s in 1.0s"), text().lines().toList());
    }

    @Test
    void barRedrawsInPlace() {
        try (Progress p = new Progress("embed", 4, Progress.Mode.BAR, out, () -> now)) {
            for (int i = 0; i < 4; i++) {
                now += 200_000_000L;
                p.advance(1);
            }
        }
        String text = text();
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), "one line: " + text);
        assertEquals(5, text.chars().filter(c -> c == '\r').count(), "4 frames and the last drawn again at close: " + text);
        assertTrue(text.endsWith(System.lineSeparator()), text);
    }

    @Test
    void offWritesNothing() {
        try (Progress p = new Progress("embed", 4, Progress.Mode.OFF, out, () -> now)) {
            now += 10_000_000_000L;
            p.advance(4);
        }
        assertEquals("", text());
    }

    @Test
    void propertyOverridesTheMode() {
        String old = System.getProperty(Progress.PROPERTY);
        try {
            System.setProperty(Progress.PROPERTY, "plain");
            assertEquals(Progress.Mode.PLAIN, Progress.defaultMode());
            System.setProperty(Progress.PROPERTY, "BAR");
            assertEquals(Progress.Mode.BAR, Progress.defaultMode());
            System.setProperty(Progress.PROPERTY, "off");
            assertEquals(Progress.Mode.OFF, Progress.defaultMode());
            System.setProperty(Progress.PROPERTY, "fancy");
            LacunaException e = assertThrows(LacunaException.class, Progress::defaultMode);
            assertTrue(e.getMessage().contains("lacuna.progress") && e.getMessage().contains("fancy"), e.getMessage());
            System.clearProperty(Progress.PROPERTY);
            // surefire's forked JVM writes stderr to a pipe
            assertEquals(Progress.Mode.PLAIN, Progress.defaultMode());
        } finally {
            if (old == null) System.clearProperty(Progress.PROPERTY);
            else System.setProperty(Progress.PROPERTY, old);
        }
    }

    @Test
    void plainLinesEndWithTheStatusOnceSet() {
        try (Progress p = new Progress("distill", 30, Progress.Mode.PLAIN, out, () -> now)) {
            for (int i = 0; i < 30; i++) {
                now += 1_000_000_000L; // 1 s a step
                if (i == 7) p.status("loss 0.0123");
                if (i == 22) p.status("");
                p.advance(1);
            }
            p.status("loss 0.0040 lr 1.0e-05");
        }
        List<String> lines = text().lines().toList();
        // at 5, 10, 15, 20 and 25 s, then the end; the status shows from the line after it is set
        assertEquals(List.of("distill 5/30 17% 1.0/s eta 25s", "distill 10/30 33% 1.0/s eta 20s  loss 0.0123",
                "distill 15/30 50% 1.0/s eta 15s  loss 0.0123", "distill 20/30 67% 1.0/s eta 10s  loss 0.0123",
                "distill 25/30 83% 1.0/s eta 5s", "distill 30/30 100% 1.0/s in 30.0s  loss 0.0040 lr 1.0e-05"), lines);
    }

    @Test
    void barShowsTheStatusToo() {
        try (Progress p = new Progress("distill", 2, Progress.Mode.BAR, out, () -> now)) {
            p.status("loss 0.5");
            now += 200_000_000L;
            p.advance(2);
        }
        assertTrue(text().contains("loss 0.5"), text());
    }
}
