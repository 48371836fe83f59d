// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.ModelIdentity;
import dev.lacuna.attention.PlanFile;
import dev.lacuna.attention.SparsePlan;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Per-head attention plans ({@code lacuna attention calibrate}) put on a loaded model, checked to fit it
 * and to be written for it: the one rule behind {@code --attention} and every library entry point.
 */
public final class AttentionPlans {
    private AttentionPlans() {}

    /**
     * The plan at {@code file}, checked against {@code lm}: another model's plan is an error naming both
     * (a warning with {@code force}); a plan that records no model identity, a warning.
     *
     * @param warnings receives one line per warning
     */
    public static SparsePlan read(LoadedModel lm, Path file, boolean force, Consumer<String> warnings) {
        var m = lm.encoder().model();
        SparsePlan plan = PlanFile.read(file).checkFits(m.layerCount(), m.config().numAttentionHeads());
        ModelIdentity here = ModelFingerprint.of(lm);
        if (plan.identity() == null) {
            warnings.accept(file + " records no model identity (an older plan file); cannot check that it was written for " + here.describe());
        } else if (!plan.identity().sameModel(here)) {
            String what = file + ": plan was written for model " + plan.identity().describe() + ", not for " + here.describe();
            if (!force) throw new LacunaException(what + "; --force applies it anyway");
            warnings.accept(what + "; applied because of --force");
        }
        return plan;
    }

    /** {@code lm} running attention by the plan at {@code file} ({@link #read}); its source says so. */
    public static LoadedModel apply(LoadedModel lm, Path file, boolean force, Consumer<String> warnings) {
        SparsePlan plan = read(lm, file, force, warnings);
        var m = lm.encoder().model();
        return new LoadedModel(lm.name(), lm.encoder().withModel(m.withAttention(plan)), lm.source() + " + attention plan " + file,
                lm.peerFiles(), lm.tokenizerJson());
    }
}
