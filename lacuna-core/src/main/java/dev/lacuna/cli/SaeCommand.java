// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Command;

/** {@code lacuna sae ...}: sparse autoencoders on a hook point: capture, train, evaluate, browse, head codes. */
@Command(name = "sae", mixinStandardHelpOptions = true, description = "Sparse autoencoders: capture activations, train, evaluate, dashboard, discrete head codes.",
        subcommands = {SaeCaptureCommand.class, SaeTrainCommand.class, SaeEvalCommand.class, SaeFrontierCommand.class, SaeDashboardCommand.class, SaeCodesCommand.class, SaeRecodeCommand.class})
public final class SaeCommand extends CommandGroup {
}
