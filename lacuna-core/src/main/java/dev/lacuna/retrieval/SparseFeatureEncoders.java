// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds the {@link SparseFeatureEncoder.Provider} for an {@code --sae} path. */
public final class SparseFeatureEncoders {
    private SparseFeatureEncoders() {}

    /** Fails early (before a model is loaded) when SAE features cannot be had. */
    public static List<SparseFeatureEncoder.Provider> requireAvailable(Path sae) {
        List<SparseFeatureEncoder.Provider> providers = new ArrayList<>();
        ServiceLoader.load(SparseFeatureEncoder.Provider.class).forEach(providers::add);
        if (providers.isEmpty()) {
            throw new LacunaException("SAE-sparse retrieval (--kinds sae, --mode sae) is not available in this build: "
                    + "no SAE implementation is registered as a " + SparseFeatureEncoder.Provider.class.getName());
        }
        if (sae == null) throw new LacunaException("SAE-sparse retrieval (--kinds sae, --mode sae) needs a trained SAE: pass --sae DIR");
        return providers;
    }

    public static SparseFeatureEncoder open(Path sae, int embeddingDim) {
        List<SparseFeatureEncoder.Provider> providers = requireAvailable(sae);
        for (SparseFeatureEncoder.Provider p : providers) {
            if (!p.accepts(sae)) continue;
            SparseFeatureEncoder e = p.open(sae);
            if (e.inputDim() != embeddingDim) {
                throw new LacunaException("--sae " + sae + ": takes embeddings of width " + e.inputDim() + " but the model gives " + embeddingDim);
            }
            return e;
        }
        throw new LacunaException("--sae " + sae + ": no registered SAE implementation can open it");
    }
}
