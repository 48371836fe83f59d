// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 16, finding 10: one naming scheme for temporary siblings, and stale ones are cleaned up. */
class TempSiblingTest {
    @TempDir
    Path dir;

    /** A pid no process has now. */
    private static long deadPid() {
        for (long pid = 4_000_000; ; pid--) if (ProcessHandle.of(pid).isEmpty()) return pid;
    }

    /** A live process other than this one (the test runner's parent), else this one. */
    private static long livePid() {
        return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(ProcessHandle.current().pid());
    }

    private Path sibling(String target, String kind, long pid, boolean directory, boolean old) throws IOException {
        Path p = dir.resolve("." + target + "." + kind + "-" + pid + "-abc123");
        if (directory) {
            Files.createDirectory(p);
            Files.writeString(p.resolve("part"), "half");
        } else {
            Files.writeString(p, "half");
        }
        if (old) Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        return p;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void temporariesAreNamedWithTheMarkerAndThePid() throws IOException {
        Path target = dir.resolve("out.txt");
        try (AtomicOutput o = AtomicOutput.open(target)) {
            o.writer().write("x");
            List<String> n = names();
            assertEquals(1, n.size(), n.toString());
            assertTrue(n.get(0).matches("\\.out\\.txt\\.lacuna-tmp-" + ProcessHandle.current().pid() + "-[0-9a-z]+"), n.get(0));
        }
        assertEquals(List.of(), names());
        try (AtomicDirectory d = AtomicDirectory.create(dir.resolve("model"), false)) {
            assertTrue(d.dir().getFileName().toString().matches("\\.model\\.lacuna-tmp-" + ProcessHandle.current().pid() + "-[0-9a-z]+"),
                    d.dir().toString());
        }
    }

    @Test
    void staleSiblingsAreRemovedAndLiveOnesLeftAlone() throws IOException {
        long dead = deadPid(), live = livePid();
        sibling("out.txt", "lacuna-tmp", dead, false, true);
        sibling("model", "lacuna-tmp", dead, true, true);
        Path liveFile = sibling("out.txt", "lacuna-tmp", live, false, true);
        Path liveDir = sibling("model", "lacuna-tmp", live, true, true);
        Path young = sibling("out.txt", "lacuna-tmp", dead, false, false); // newer than this process: maybe not stale yet
        Files.setLastModifiedTime(young, FileTime.from(Instant.now().plus(1, ChronoUnit.HOURS))); // beyond the start-time slack
        Path otherTarget = sibling("other.txt", "lacuna-tmp", dead, false, true);
        Path notOurs = Files.writeString(dir.resolve(".out.txt.12345.tmp"), "someone else's");

        try (AtomicOutput o = AtomicOutput.open(dir.resolve("out.txt"))) {
            o.writer().write("new");
            o.commit();
        }
        AtomicDirectory.create(dir.resolve("model"), false).close();

        assertEquals(List.of(liveDir.getFileName().toString(), liveFile.getFileName().toString(), notOurs.getFileName().toString(),
                otherTarget.getFileName().toString(), young.getFileName().toString(), "out.txt").stream().sorted().toList(), names());
        assertEquals("half", Files.readString(liveDir.resolve("part")));
        assertEquals("new", Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void aSwapCutBetweenItsRenamesGetsTheOldOutputBack() throws IOException {
        Path aside = sibling("model", "lacuna-old", deadPid(), true, true);
        assertEquals(List.of(aside), TempSibling.removeStale(dir.resolve("model")));
        assertEquals("half", Files.readString(dir.resolve("model").resolve("part")));
        assertFalse(Files.exists(aside));
        // with the target present, a stale aside copy is only removed
        Path again = sibling("model", "lacuna-old", deadPid(), true, true);
        TempSibling.removeStale(dir.resolve("model"));
        assertFalse(Files.exists(again));
        assertEquals(List.of("model"), names());
    }
}
