package dev.lacuna.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lacuna attention ...}: sparse attention benchmark, per-head plans, inspection. */
@Command(name = "attention", mixinStandardHelpOptions = true, description = "Sparse attention: benchmark methods, calibrate per-head plans, inspect heads.",
        subcommands = {AttentionBenchCommand.class, AttentionCalibrateCommand.class, AttentionEvalCommand.class, AttentionInspectCommand.class})
public final class AttentionCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (bench, calibrate, eval, inspect)");
    }
}
