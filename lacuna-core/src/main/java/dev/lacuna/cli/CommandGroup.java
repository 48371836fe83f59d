// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands: run without one, it is a usage error naming every one picocli knows. */
abstract class CommandGroup implements Runnable {
    @Spec
    CommandSpec spec;

    /** What is missing, in the message: {@code missing subcommand (a, b, c)}. */
    String missingWhat() {
        return "subcommand";
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing " + missingWhat() + " (" + String.join(", ", spec.subcommands().keySet()) + ")");
    }
}
