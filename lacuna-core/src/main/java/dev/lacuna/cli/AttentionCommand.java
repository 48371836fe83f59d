// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Command;

/** {@code lacuna attention ...}: sparse attention benchmark, per-head plans, inspection. */
@Command(name = "attention", mixinStandardHelpOptions = true, description = "Sparse attention: benchmark methods, calibrate per-head plans, sweep the attention frontier, inspect heads.",
        subcommands = {AttentionBenchCommand.class, AttentionCalibrateCommand.class, AttentionEvalCommand.class, AttentionFrontierCommand.class,
                AttentionInspectCommand.class})
public final class AttentionCommand extends CommandGroup {
}
