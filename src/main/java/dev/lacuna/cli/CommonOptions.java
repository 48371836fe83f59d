package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import picocli.CommandLine.Option;

/** Options every command that runs a model shares. */
public final class CommonOptions {
    @Option(names = "--model", defaultValue = "default", paramLabel = "M",
            description = "default (all-MiniLM-L6-v2), bge-small-q, a .onnx file, or a directory with config.json + model.safetensors (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    int threads() {
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (t < 1 || t > 1024) throw new LacunaException("--threads must be between 1 and 1024, got " + t);
        return t;
    }
}
