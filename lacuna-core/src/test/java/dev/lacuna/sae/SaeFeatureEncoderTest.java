// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.eval.Vectors;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.retrieval.SparseFeatureEncoder;
import dev.lacuna.retrieval.SparseFeatureEncoders;
import dev.lacuna.retrieval.SparseVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding capture point and the SAE as retrieval's sparse feature encoder. */
class SaeFeatureEncoderTest {
    @TempDir
    Path dir;

    @Test
    void embeddingStoreHoldsThePooledEmbeddingsAndTheSaeEncodesThemSparsely() throws Exception {
        LoadedModel lm = ModelLoader.load("default");
        List<String> texts = new ArrayList<>();
        for (String s : dev.lacuna.io.EmbeddedText.englishSentences(0, 300)) texts.add(s);
        Path store = Files.createDirectories(dir.resolve("store"));
        try (Parallel par = new Parallel(2)) {
            try (ActivationStore.Writer w = new ActivationStore.Writer(store, "default", ActivationCapture.EMBEDDING, ActivationStore.Dtype.FLOAT32, 1 << 16, List.of("europarl"))) {
                ActivationCapture.capture(par, lm.encoder(), ActivationCapture.EMBEDDING, texts, 512, w, null);
                w.finish();
            }
            float[][] expected = lm.encoder().embed(par, texts.subList(0, 3), 32, null);
            try (ActivationStore st = ActivationStore.open(store)) {
                assertEquals(texts.size(), st.tokens(), "one row per text");
                assertEquals(384, st.dIn());
                float[] row = new float[384];
                for (int i = 0; i < 3; i++) {
                    st.row(i, row, 0);
                    assertEquals(1.0, Vectors.cosine(expected[i], row), 1e-5, "row " + i + " is text " + i + "'s embedding");
                }
                SaeConfig cfg = SaeConfig.defaults("topk", 384, 256, 8, ActivationCapture.EMBEDDING, "default");
                SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(3e-3, 64, 64 * 60, 0.05, 0.2, 1), st);
                tr.train(par, st, null, 0, null);
                Path sae = dir.resolve("sae");
                Files.createDirectories(sae);
                tr.toSae().write(sae);

                SparseFeatureEncoder enc = SparseFeatureEncoders.open(sae, 384); // found through ServiceLoader
                assertTrue(enc instanceof SaeFeatureEncoder, enc.getClass().getName());
                assertEquals(256, enc.features());
                SparseVector v = enc.encode(expected[0]);
                assertTrue(v.size() > 0 && v.size() <= 8, "at most k active latents, got " + v.size());
                for (int i = 0; i < v.size(); i++) {
                    assertTrue(v.weights()[i] > 0);
                    assertTrue(v.ids()[i] >= 0 && v.ids()[i] < 256);
                }
                assertThrows(LacunaException.class, () -> enc.encode(new float[10]));
            }
        }
        // an SAE on a hook inside the model is not a sentence-feature encoder
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        SaeTrainer.create(SaeConfig.defaults("topk", 384, 64, 4, "layer.3.resid_post", "default"),
                new SaeTrainer.Options(3e-3, 16, 16, 0.05, 0.2, 1), ActivationRows.of(new float[16 * 384], 16, 384)).toSae().write(other);
        LacunaException e = assertThrows(LacunaException.class, () -> SaeFeatureEncoder.open(other));
        assertTrue(e.getMessage().contains("--hook embedding"), e.getMessage());
    }
}
