// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code --debug}, declared once: mixed into {@link Main} and inherited by every subcommand, so
 * {@code lacuna --debug embed ...} and {@code lacuna embed ... --debug} both ask for stack traces.
 * Picocli sets this one field wherever on the command line the option appears.
 */
final class DebugOption {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "print stack traces of errors")
    boolean requested;
}
