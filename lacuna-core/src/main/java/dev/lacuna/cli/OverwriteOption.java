// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.io.PathChecks;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --overwrite}: one policy for every command that writes an output directory or index. */
final class OverwriteOption {
    @Option(names = "--overwrite", description = "replace an existing output (it is replaced atomically, after the new one is complete)")
    boolean overwrite;

    /**
     * Refuses, before any work starts: an {@code out} that would replace one of the command's {@code inputs},
     * an existing one unless --overwrite, and one whose parent directory does not exist (which the final
     * atomic write would otherwise find only after the work is done).
     */
    void refuseExisting(Path out, Path... inputs) {
        PathChecks.refuseOutputOverInput(out, inputs);
        if (Files.exists(out) && !overwrite) throw new LacunaException(out + " already exists (use --overwrite to replace it)");
        Path parent = out.toAbsolutePath().normalize().getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new LacunaException(out + ": parent directory " + parent + " does not exist");
    }
}
