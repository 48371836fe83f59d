package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.ModelIdentity;
import dev.lacuna.attention.PlanFile;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelFingerprint;
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

    @Option(names = "--force", description = "apply an --attention plan written for another model (a warning instead of an error)")
    boolean force;

    /** The model named by --model, with the --attention plan applied when given. */
    dev.lacuna.load.LoadedModel load() {
        dev.lacuna.load.LoadedModel lm = dev.lacuna.load.ModelLoader.load(model);
        if (attention == null) return lm;
        var m = lm.encoder().model();
        var plan = readPlan(lm);
        return new dev.lacuna.load.LoadedModel(lm.name(), lm.encoder().withModel(m.withAttention(plan)), lm.source() + " + attention plan " + attention,
                lm.peerFiles(), lm.tokenizerJson());
    }

    /**
     * The --attention plan, checked to fit {@code lm} and to be written for it: another model's plan is
     * an error naming both (a warning with --force); a plan that records no model identity, a warning.
     */
    SparsePlan readPlan(LoadedModel lm) {
        var m = lm.encoder().model();
        SparsePlan plan = PlanFile.read(attention).checkFits(m.layerCount(), m.config().numAttentionHeads());
        ModelIdentity here = ModelFingerprint.of(lm);
        if (plan.identity() == null) {
            System.err.println("lacuna: warning: " + attention + " records no model identity (an older plan file); "
                    + "cannot check that it was written for " + here.describe());
        } else if (!plan.identity().sameModel(here)) {
            String what = attention + ": plan was written for model " + plan.identity().describe() + ", not for " + here.describe();
            if (!force) throw new LacunaException(what + "; --force applies it anyway");
            System.err.println("lacuna: warning: " + what + "; applied because of --force");
        }
        return plan;
    }

    /** The paths this command may read: --model (as a path; a name is no file), --attention, then {@code more}. */
    Path[] inputs(Path... more) {
        return Stream.concat(Stream.of(Path.of(model), attention), Arrays.stream(more)).toArray(Path[]::new);
    }

    int threads() {
        return threads.get();
    }
}
