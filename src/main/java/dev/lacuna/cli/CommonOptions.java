package dev.lacuna.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Options every command that runs a model shares. */
public final class CommonOptions {
    @Option(names = "--model", defaultValue = "default", paramLabel = "M",
            description = "default (all-MiniLM-L6-v2), bge-small-q, a .onnx file, or a directory with config.json + model.safetensors (default: ${DEFAULT-VALUE})")
    String model;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--attention", paramLabel = "PLAN.yaml", description = "run attention with a per-head plan from 'lacuna attention calibrate'")
    java.nio.file.Path attention;

    /** The model named by --model, with the --attention plan applied when given. */
    dev.lacuna.load.LoadedModel load() {
        dev.lacuna.load.LoadedModel lm = dev.lacuna.load.ModelLoader.load(model);
        if (attention == null) return lm;
        var m = lm.encoder().model();
        var plan = dev.lacuna.attention.PlanFile.read(attention).checkFits(m.layerCount(), m.config().numAttentionHeads());
        return new dev.lacuna.load.LoadedModel(lm.name(), lm.encoder().withModel(m.withAttention(plan)), lm.source() + " + attention plan " + attention,
                lm.peerFiles(), lm.tokenizerJson());
    }

    /** The paths this command may read: --model (as a path; a name is no file), --attention, then {@code more}. */
    Path[] inputs(Path... more) {
        return Stream.concat(Stream.of(Path.of(model), attention), Arrays.stream(more)).toArray(Path[]::new);
    }

    int threads() {
        return threads.get();
    }
}
