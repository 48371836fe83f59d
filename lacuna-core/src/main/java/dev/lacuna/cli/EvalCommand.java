// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Command;

/** {@code lacuna eval ...}: quality metrics; each subcommand ends with one JSON line on stdout. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate embedding quality.",
        subcommands = {EvalStsbCommand.class, EvalRetrievalCommand.class})
public final class EvalCommand extends CommandGroup {
    @Override
    String missingWhat() {
        return "benchmark name";
    }
}
