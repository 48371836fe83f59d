// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import picocli.CommandLine.Option;

/** {@code --threads}, declared once and validated the same way for every command that runs kernels. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    Integer threads;

    /** The team size asked for, or every core; 1..1024. */
    int get() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1 || t > 1024) throw new LacunaException("--threads must be between 1 and 1024, got " + t);
        return t;
    }
}
