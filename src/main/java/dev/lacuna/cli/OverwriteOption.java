package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --overwrite}: one policy for every command that writes an output directory or index. */
final class OverwriteOption {
    @Option(names = "--overwrite", description = "replace an existing output (it is replaced atomically, after the new one is complete)")
    boolean overwrite;

    /** Refuses an existing {@code out} unless --overwrite, before any work starts. */
    void refuseExisting(Path out) {
        if (Files.exists(out) && !overwrite) throw new LacunaException(out + " already exists (use --overwrite to replace it)");
    }
}
