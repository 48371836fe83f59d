// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

/** What an SBL run returns: the posterior mean x [n], the hyperparameters γ [n], and the cost before each EM step and after the last. */
public record SblResult(double[] mean, double[] gamma, double[] costs) {
    /** The EM steps taken. */
    public int iterations() {
        return costs.length - 1;
    }
}
