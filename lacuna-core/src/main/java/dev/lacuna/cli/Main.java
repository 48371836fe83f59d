// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;

/** Entry point of the {@code lacuna} command; the only place that exits the JVM. */
@Command(name = "lacuna", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Sparse transformer inference and inspection on the JVM.",
        subcommands = {SparsifyCommand.class, FrontierCommand.class, SoupCommand.class, AttentionCommand.class, EmbedCommand.class, EvalCommand.class, BenchCommand.class, InspectCommand.class,
                IndexCommand.class, SearchCommand.class, BulkExportCommand.class, ExportCommand.class, SaeCommand.class, ServeCommand.class, RecoverCommand.class})
public final class Main extends CommandGroup {
    /** Inherited by every subcommand. */
    @Mixin
    DebugOption debug;

    @Override
    String missingWhat() {
        return "command";
    }

    /** {@code lacuna --version}: the version from pom.xml, the git commit of the build and the JDK. */
    static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {Version.describe()};
        }
    }

    public static void main(String[] args) {
        int code = run(args);
        if (System.getenv("LACUNA_REPORT_RSS") != null) System.err.println("lacuna: peak RSS " + peakRssMiB() + " MiB");
        System.exit(code);
    }

    /** VmHWM of this process from /proc (Linux), in MiB; -1 where unavailable. */
    static long peakRssMiB() {
        try {
            for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Libraries log through java.util.logging to stderr (Lucene's vectorization banner is two INFO
     * lines before any output): only warnings and worse get through. Held here so that the
     * configured logger is not collected.
     */
    private static final java.util.logging.Logger ROOT_LOGGER = java.util.logging.Logger.getLogger("");

    static void quietLibraryLogging() {
        ROOT_LOGGER.setLevel(java.util.logging.Level.WARNING);
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 bad input or failure, 2 bad usage. */
    public static int run(String... args) {
        quietLibraryLogging();
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("lacuna: " + oneLine(ex.getMessage()) + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            PrintWriter err = c.getErr();
            boolean dbg = main.debug.requested;
            if (ex instanceof LacunaException le) {
                err.println("lacuna: error: " + oneLine(le.getMessage()));
                if (dbg) le.printStackTrace(err);
                err.flush();
                return 1;
            }
            err.println("lacuna: internal error: " + oneLine(String.valueOf(ex)) + (dbg ? "" : " (rerun with --debug for the stack trace)"));
            if (dbg) ex.printStackTrace(err);
            err.flush();
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("lacuna: error: out of memory (raise the heap with LACUNA_JAVA_OPTS=-Xmx...)");
            return 1;
        }
    }

    static String oneLine(String s) {
        if (s == null) return "unknown error";
        return s.replace('\n', ' ').replace('\r', ' ').strip();
    }
}
