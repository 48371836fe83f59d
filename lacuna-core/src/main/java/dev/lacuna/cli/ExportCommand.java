// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Command;

/** {@code lacuna export ...}: a Lacuna model in another runtime's format. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write a Lacuna model in another runtime's format.",
        subcommands = {ExportOnnxCommand.class})
public final class ExportCommand extends CommandGroup {
}
