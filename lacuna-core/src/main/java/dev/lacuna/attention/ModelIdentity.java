// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * The model a plan was written for: its name as the user gave it, and fingerprints of its
 * configuration and of its weights (computed in {@code load.ModelFingerprint}). Two models are the
 * same when both fingerprints agree, whatever their names (a copied directory is the same model).
 *
 * @param name    the {@code --model} value, e.g. {@code default}
 * @param config  {@code sha256:} and 16 hex digits of the configuration
 * @param weights {@code sha256:} and 16 hex digits of every tensor (names, shapes, values)
 */
public record ModelIdentity(String name, String config, String weights) {
    public boolean sameModel(ModelIdentity other) {
        return config.equals(other.config) && weights.equals(other.weights);
    }

    /** {@code 'default' (config sha256:..., weights sha256:...)}, for messages. */
    public String describe() {
        return "'" + name + "' (config " + config + ", weights " + weights + ")";
    }
}
