// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.retrieval.SparseVector;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An SAE trained on sentence embeddings ({@code sae capture --hook embedding}) as a sparse feature
 * encoder for retrieval: an embedding's active latents and their activations are its features, so
 * documents and queries are matched on a few interpretable directions (the dashboard names them).
 * Registered for {@link java.util.ServiceLoader} as a {@link SparseFeatureEncoder.Provider}.
 */
public final class SaeFeatureEncoder implements SparseFeatureEncoder {
    private final Sae sae;
    private final Path dir;
    private final SaeArchitecture.Work work = new SaeArchitecture.Work();
    private final Parallel one = Parallel.serial();

    private SaeFeatureEncoder(Sae sae, Path dir) {
        this.sae = sae;
        this.dir = dir;
    }

    /** Opens an SAE directory whose SAE reads the embedding. */
    public static SaeFeatureEncoder open(Path dir) {
        Sae s = Sae.load(dir);
        if (!SaeEvaluator.onEmbedding(s)) {
            throw new LacunaException(dir + ": the SAE reads hook '" + s.config().hookName() + "'; retrieval needs one trained on '"
                    + ActivationCapture.EMBEDDING + "' (lacuna sae capture --hook embedding)");
        }
        return new SaeFeatureEncoder(s, dir);
    }

    @Override
    public String describe() {
        SaeConfig c = sae.config();
        return "sae " + dir + " (" + c.architecture() + ", " + c.dSae() + " latents" + (c.k() > 0 ? ", k " + c.k() : "") + ")";
    }

    @Override
    public int inputDim() {
        return sae.config().dIn();
    }

    @Override
    public int features() {
        return sae.config().dSae();
    }

    /** Active latents of one embedding [d_in] with their activations (> 0). Not thread-safe. */
    @Override
    public synchronized SparseVector encode(float[] embedding) {
        if (embedding.length != inputDim()) throw new LacunaException("embedding has " + embedding.length + " values, the SAE reads " + inputDim());
        sae.encode(one, embedding, 1, work);
        Codes c = work.codes;
        int n = 0;
        for (int e = c.start[0]; e < c.start[0] + c.len[0]; e++) if (c.val[e] > 0) n++;
        int[] ids = new int[n];
        float[] w = new float[n];
        for (int e = c.start[0], i = 0; e < c.start[0] + c.len[0]; e++) {
            if (c.val[e] > 0) {
                ids[i] = c.idx[e];
                w[i++] = c.val[e];
            }
        }
        return new SparseVector(ids, w);
    }

    /** The ServiceLoader entry point: accepts directories holding an SAE's cfg.json. */
    public static final class Provider implements SparseFeatureEncoder.Provider {
        @Override
        public boolean accepts(Path spec) {
            return Files.isRegularFile(spec.resolve("cfg.json"));
        }

        @Override
        public SparseFeatureEncoder open(Path spec) {
            return SaeFeatureEncoder.open(spec);
        }
    }
}
