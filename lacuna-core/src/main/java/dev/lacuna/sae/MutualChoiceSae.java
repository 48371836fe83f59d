// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

/**
 * Mutual-Choice SAE (Ayonrinde 2024, "Adaptive Sparse Allocation with Mutual Choice & Feature Choice
 * SAEs"): the total budget B·k is allocated freely over (token, latent) pairs, the global top B·k,
 * which is the same selection as BatchTopK (the paper notes the two are concurrent); what differs is
 * training with aux_zipf_loss. Inference uses the running global threshold as BatchTopK does.
 */
public final class MutualChoiceSae extends BatchTopKSae {
    static final SaeKind KIND = new SaeKind("mutualchoice", MutualChoiceSae::new, true, SaeKind.Aux.AUX_ZIPF, SaeKind.Threshold.ESTIMATED);

    MutualChoiceSae(SaeConfig cfg) {
        super(cfg);
    }
}
