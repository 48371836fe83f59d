// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on the paths a user names, made before any is opened: an input must be a regular file (a FIFO
 * or device would block or never end), and an output must not replace an input.
 */
public final class PathChecks {
    private PathChecks() {}

    /** Refuses an existing {@code file} that is not a regular file (after links); a missing one is left to the reader. */
    public static void requireRegularFile(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new LacunaException(file + ": not a regular file" + (Files.isDirectory(file) ? " (a directory)" : ""));
        }
    }

    /**
     * Refuses an output that is one of {@code inputs} (the same path, a hard link or a symlink to it) or a
     * directory holding one, since writing it would replace the input. Null inputs and "-" (stdin) are skipped.
     */
    public static void refuseOutputOverInput(Path output, Path... inputs) {
        if (output == null || !Files.exists(output)) return;
        for (Path in : inputs) {
            if (in == null || in.toString().equals("-") || !Files.exists(in)) continue;
            try {
                if (Files.isSameFile(output, in)) throw new LacunaException(output + " is the input " + in + ": choose another output");
                if (in.toRealPath().startsWith(output.toRealPath())) {
                    throw new LacunaException(output + " contains the input " + in + ": choose another output");
                }
            } catch (IOException e) {
                throw new LacunaException(output + ": cannot compare with the input " + in + " (" + IoProblem.describe(e) + ")");
            }
        }
    }
}
