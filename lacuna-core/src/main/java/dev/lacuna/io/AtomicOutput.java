// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A file written to a temporary sibling ({@link TempSibling}) and renamed over the target only on {@link #commit()}; closed
 * without commit, the temporary is deleted and the target is untouched. Nothing half-written is left.
 * A new target gets the umask's mode, a replaced one keeps its mode.
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final Writer writer;
    private boolean committed;

    private AtomicOutput(Path target) {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        try {
            if (dir != null && !Files.isDirectory(dir)) throw new LacunaException(target + ": directory " + dir + " does not exist");
            this.tmp = TempSibling.createFile(this.target);
            this.writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot write (" + IoProblem.describe(e) + ")");
        }
    }

    public static AtomicOutput open(Path target) {
        return new AtomicOutput(target);
    }

    public Writer writer() {
        return writer;
    }

    /** Flushes, then renames the temporary onto the target. */
    public void commit() {
        try {
            writer.close(); // may be closed already (Jackson closes what it writes to)
            TempSibling.slowWriteForTests();
            move(tmp, target);
            committed = true;
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot write (" + IoProblem.describe(e) + ")");
        }
    }

    /** Writes {@code bytes} to {@code target} the same way: a temporary sibling, then a rename. */
    public static void writeBytes(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
                throw new LacunaException(target + ": directory " + abs.getParent() + " does not exist");
            }
            tmp = TempSibling.createFile(abs);
            Files.write(tmp, bytes);
            TempSibling.slowWriteForTests();
            move(tmp, abs);
            tmp = null;
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot write (" + IoProblem.describe(e) + ")");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stale temporary is removed by the next write
                }
            }
        }
    }

    /** Renames atomically where the file system allows it. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void close() {
        if (committed) return;
        try {
            writer.close();
        } catch (IOException ignored) {
            // the temporary is deleted next; its content no longer matters
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // best effort: a leftover hidden temporary is not the target
        }
    }
}
