// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.Fidelity;
import dev.lacuna.eval.Stsb;
import dev.lacuna.eval.StsbEvaluator;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.prune.QuantizeModifier;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * int8 weights of the default model against fp32 on STS-B dev (a subset here; the whole dev set is in
 * docs/ARCHITECTURE.md): Spearman within 0.15 (x100) and mean cosine ≥ 0.999 to the fp32 embeddings.
 */
class Int8QualityTest {
    static final int PAIRS = 300;

    @Test
    void int8KeepsStsbAndTheEmbeddings() {
        SentenceEncoder fp32 = ModelLoader.load("default").encoder();
        SentenceEncoder int8 = fp32.withModel(QuantizeModifier.int8PerChannel().apply(fp32.model()));
        List<StsbPair> pairs = Stsb.read(TestData.stsbDev());
        pairs = pairs.subList(0, Math.min(PAIRS, pairs.size()));
        try (Parallel par = new Parallel(2)) {
            List<String> texts = Stsb.sentences(pairs);
            Fidelity f = Fidelity.of(fp32.embed(par, texts, 32, null), int8.embed(par, texts, 32, null));
            double sd = StsbEvaluator.spearman(pairs, fp32.embedder(par, 32));
            double sq = StsbEvaluator.spearman(pairs, int8.embedder(par, 32));
            String got = "Spearman x100 fp32 " + sd + ", int8 " + sq + "; mean cosine " + f.meanCosine() + " (min " + f.minCosine() + ")";
            System.out.println("int8 on " + pairs.size() + " STS-B dev pairs: " + got);
            assertTrue(Math.abs(sd - sq) <= 0.15, got);
            assertTrue(f.meanCosine() >= 0.999, got);
        }
    }
}
