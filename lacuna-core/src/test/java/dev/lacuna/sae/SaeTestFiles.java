// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import java.nio.file.Path;

/** SAE directories for tests of other packages (Sae.write is package-private). */
public final class SaeTestFiles {
    private SaeTestFiles() {}

    /** An untrained top-k SAE over the default model's sentence embedding (384 wide). */
    public static void writeUntrainedEmbeddingSae(Path dir, int latents, int k) {
        SaeTrainer.create(SaeConfig.defaults("topk", 384, latents, k, ActivationCapture.EMBEDDING, "default"),
                new SaeTrainer.Options(3e-3, 16, 16, 0.05, 0.2, 1), ActivationRows.of(new float[16 * 384], 16, 384)).toSae().write(dir);
    }
}
