// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Command;

/** {@code lacuna recover ...}: sparse recovery experiments (docs/RECOVERY.md). */
@Command(name = "recover", mixinStandardHelpOptions = true, description = "Sparse recovery experiments: regression on random vs adversarial supports, Kronecker SBL, thresholding operators.",
        subcommands = {RecoverRegressionCommand.class, RecoverKroneckerCommand.class, RecoverThresholdsCommand.class})
public final class RecoverCommand extends CommandGroup {
}
