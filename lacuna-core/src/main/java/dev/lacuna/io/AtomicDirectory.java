// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An output directory built under a temporary sibling name ({@link TempSibling}) and renamed into place on
 * {@link #commit()}; closed without commit, the temporary is removed. An existing target is refused
 * unless {@code overwrite}, and then replaced only at commit. A new directory gets the umask's mode,
 * a replaced one keeps its mode.
 */
public final class AtomicDirectory implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final boolean overwrite;
    private boolean committed;

    private AtomicDirectory(Path target, boolean overwrite) {
        this.target = target.toAbsolutePath().normalize();
        this.overwrite = overwrite;
        if (Files.exists(this.target) && !overwrite) {
            throw new LacunaException(target + " already exists (use --overwrite to replace it)");
        }
        if (Files.exists(this.target) && !Files.isDirectory(this.target)) {
            throw new LacunaException(target + " exists and is not a directory");
        }
        Path parent = this.target.getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new LacunaException(target + ": parent directory " + parent + " does not exist");
        try {
            this.tmp = TempSibling.createDirectory(this.target);
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot create (" + IoProblem.describe(e) + ")");
        }
    }

    public static AtomicDirectory create(Path target, boolean overwrite) {
        return new AtomicDirectory(target, overwrite);
    }

    /** The temporary directory to write into. */
    public Path dir() {
        return tmp;
    }

    public Path target() {
        return target;
    }

    public void commit() {
        try {
            TempSibling.slowWriteForTests();
            if (Files.exists(target)) {
                if (!overwrite) throw new LacunaException(target + " already exists (use --overwrite to replace it)");
                Path old = TempSibling.asideName(target); // a kill before the next rename: the next run puts it back
                Files.move(target, old);
                AtomicOutput.move(tmp, target);
                deleteTree(old);
            } else {
                AtomicOutput.move(tmp, target);
            }
            committed = true;
        } catch (IOException e) {
            throw new LacunaException(target + ": cannot write (" + IoProblem.describe(e) + ")");
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // best effort: a hidden leftover temporary is not the target
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        TempSibling.deleteTree(p);
    }
}
