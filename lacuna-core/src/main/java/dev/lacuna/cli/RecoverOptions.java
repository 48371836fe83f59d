// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.plot.Chart;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The options every {@code lacuna recover} experiment shares, and its output: NAME.csv and NAME.png written atomically into --out. */
final class RecoverOptions {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (a CSV and a PNG)")
    Path out;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seed of every random problem (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quick", description = "a small sweep (seconds)")
    boolean quick;

    @Mixin
    OverwriteOption overwrite;

    /** Refuses an existing --out (unless --overwrite) before any work starts. */
    void refuseExisting() {
        overwrite.refuseExisting(out);
    }

    void write(String name, String csv, Chart chart) throws IOException {
        try (AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite)) {
            Files.writeString(dir.dir().resolve(name + ".csv"), csv);
            Files.write(dir.dir().resolve(name + ".png"), chart.png());
            dir.commit();
        }
    }

    static int positive(String option, int v) {
        if (v < 1) throw new LacunaException(option + " must be >= 1, got " + v);
        return v;
    }
}
