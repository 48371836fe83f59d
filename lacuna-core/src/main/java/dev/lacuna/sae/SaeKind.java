// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import java.util.function.Function;

/**
 * One SAE architecture as the config, the trainer and the saved form see it, declared once beside its
 * code ({@code TopKSae.KIND}, ...) and listed in {@link SaeArchitectures}.
 *
 * @param name      cfg.json's {@code architecture}, e.g. {@code topk}
 * @param factory   builds the architecture for a config of this name
 * @param usesK     k sets the sparsity (per token, or on average); false: a penalty does (relu's L1,
 *                  jumprelu's L0), cfg.json has no {@code k} and the trainer starts the gates from the data
 * @param aux       the auxiliary loss it trains with
 * @param threshold the inference threshold it stores, if any
 */
public record SaeKind(String name, Function<SaeConfig, SaeArchitecture> factory, boolean usesK, Aux aux, Threshold threshold) {
    /** Auxiliary losses; the one an architecture trains with has coefficient 1/32 by default, the others 0. */
    public enum Aux {
        NONE,
        /** aux_k on dead latents (Gao et al. 2024, Appendix A.2). */
        AUX_K,
        /** aux_zipf_loss on dead and under-used latents (our reading of Ayonrinde 2024). */
        AUX_ZIPF
    }

    /** The {@code threshold [d_sae]} tensor of the saved SAE. */
    public enum Threshold {
        /** None stored. */
        NONE,
        /** log θ per latent trained with the weights (jumprelu); saved as θ. */
        LEARNED,
        /**
         * Estimated from the batch-level selection during training and recalibrated at the end, so that
         * inference encodes each token on its own (batchtopk, mutualchoice, featurechoice).
         */
        ESTIMATED
    }

    /** The architecture for {@code cfg} (whose name is this one). */
    public SaeArchitecture create(SaeConfig cfg) {
        return factory.apply(cfg);
    }
}
