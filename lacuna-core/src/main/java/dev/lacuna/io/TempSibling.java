// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one naming scheme of temporary siblings, which every atomic write uses: {@code
 * .NAME.lacuna-tmp-PID-RANDOM} beside the target {@code NAME} while it is written, {@code
 * .NAME.lacuna-old-PID-RANDOM} for a replaced directory moved aside during its swap. The pid says
 * whose they are: one whose process is gone and that is older than this process is stale, and is
 * removed before the next write of the same target ({@link #removeStale}), except that a stale
 * aside copy whose target is missing (a kill between the two renames of a swap) is put back.
 */
public final class TempSibling {
    static final String TMP = "lacuna-tmp";
    static final String OLD = "lacuna-old";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant STARTED = ProcessHandle.current().info().startInstant().orElse(Instant.now());

    private TempSibling() {}

    /**
     * A new empty temporary file beside {@code target}, after removing stale ones: the mode of the
     * target it will replace, else the umask's (not the 0600 of {@link Files#createTempFile}).
     */
    public static Path createFile(Path target) throws IOException {
        removeStale(target);
        return keepMode(target, create(target, TMP, false));
    }

    /** A new empty temporary directory beside {@code target}, likewise. */
    public static Path createDirectory(Path target) throws IOException {
        removeStale(target);
        return keepMode(target, create(target, TMP, true));
    }

    /** Gives {@code tmp} the mode of the {@code target} it will replace, if there is one. */
    private static Path keepMode(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) return tmp;
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the default mode stays
        }
        return tmp;
    }

    /**
     * Tests only: {@code -Dlacuna.test.slowWrite=MS} holds every atomic write for MS milliseconds just
     * before its rename, so that a test can kill the process while the output is being written.
     */
    public static void slowWriteForTests() {
        long ms = Long.getLong("lacuna.test.slowWrite", 0);
        if (ms <= 0) return;
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A free name beside {@code target} to move a replaced directory aside to (nothing is created). */
    static Path asideName(Path target) {
        while (true) {
            Path p = name(target, OLD);
            if (!Files.exists(p)) return p;
        }
    }

    private static Path create(Path target, String kind, boolean directory) throws IOException {
        while (true) {
            Path p = name(target, kind);
            try {
                return directory ? Files.createDirectory(p) : Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                // taken: draw another name
            }
        }
    }

    private static Path name(Path target, String kind) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling("." + abs.getFileName() + "." + kind + "-" + ProcessHandle.current().pid() + "-"
                + Long.toUnsignedString(RANDOM.nextLong(), 36));
    }

    /**
     * Removes the stale temporaries beside {@code target} (their process gone, older than this one),
     * best effort; returns what was removed or put back.
     */
    public static List<Path> removeStale(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        List<Path> done = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) return done;
        Pattern mine = Pattern.compile(Pattern.quote("." + abs.getFileName() + ".") + "(" + TMP + "|" + OLD + ")-(\\d+)-[0-9a-z]+");
        List<Path> candidates;
        try (Stream<Path> s = Files.list(dir)) {
            candidates = s.filter(p -> mine.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            return done;
        }
        for (Path p : candidates) {
            Matcher m = mine.matcher(p.getFileName().toString());
            if (!m.matches() || !stale(p, Long.parseLong(m.group(2)))) continue;
            try {
                if (m.group(1).equals(OLD) && !Files.exists(abs)) {
                    Files.move(p, abs); // the swap was cut between its renames: the old output comes back
                } else {
                    deleteTree(p);
                }
                done.add(p);
            } catch (IOException e) {
                // best effort: another run may be cleaning up too
            }
        }
        return done;
    }

    private static boolean stale(Path p, long pid) {
        if (ProcessHandle.of(pid).isPresent()) return false;
        try {
            FileTime t = Files.getLastModifiedTime(p);
            // Linux gives a process's start from whole-second boot time plus clock ticks, so it can read
            // up to a second early: allow that much (a killed run's temporary, modified just before
            // this run started, was kept otherwise). The pid check is what guards a live writer.
            return t.toInstant().isBefore(STARTED.plusSeconds(2));
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(p);
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
