package dev.lacuna.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lacuna eval ...}: quality metrics; each subcommand ends with one JSON line on stdout. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate embedding quality.",
        subcommands = {EvalStsbCommand.class, EvalRetrievalCommand.class})
public final class EvalCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark name (stsb, retrieval)");
    }
}
