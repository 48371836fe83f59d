package dev.lacuna.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * {@code --debug}, declared once: mixed into {@link Main} and inherited by every subcommand, so
 * {@code lacuna --debug embed ...} and {@code lacuna embed ... --debug} both ask for stack traces.
 */
final class DebugOption {
    static final String NAME = "--debug";

    @Option(names = NAME, scope = ScopeType.INHERIT, description = "print stack traces of errors")
    boolean debug;

    /** Whether {@code --debug} was given to the command or to any command above it. */
    static boolean requested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(NAME)) return true;
        }
        return false;
    }
}
