// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: names in order, one class per name, and the facts the trainer and the saved form read. */
class SaeArchitecturesTest {
    @Test
    void namesAreListedInOrderAndAnUnknownOneIsAnError() {
        assertEquals(List.of("topk", "batchtopk", "relu", "jumprelu", "mutualchoice", "featurechoice"), SaeArchitectures.names());
        assertEquals("architecture must be one of topk, batchtopk, relu, jumprelu, mutualchoice, featurechoice, got 'gated'",
                assertThrows(LacunaException.class, () -> SaeConfig.defaults("gated", 8, 16, 4, "embedding", "m")).getMessage());
    }

    @Test
    void eachNameBuildsItsClassWithItsFacts() {
        record Facts(Class<?> type, boolean usesK, SaeKind.Aux aux, SaeKind.Threshold threshold, String setting) {}
        List<Facts> expected = List.of(
                new Facts(TopKSae.class, true, SaeKind.Aux.AUX_K, SaeKind.Threshold.NONE, "k=4"),
                new Facts(BatchTopKSae.class, true, SaeKind.Aux.NONE, SaeKind.Threshold.ESTIMATED, "k=4"),
                new Facts(ReluSae.class, false, SaeKind.Aux.NONE, SaeKind.Threshold.NONE, "l1=5.0"),
                new Facts(JumpReluSae.class, false, SaeKind.Aux.NONE, SaeKind.Threshold.LEARNED, "l0=1.0"),
                new Facts(MutualChoiceSae.class, true, SaeKind.Aux.AUX_ZIPF, SaeKind.Threshold.ESTIMATED, "k=4"),
                new Facts(FeatureChoiceSae.class, true, SaeKind.Aux.AUX_ZIPF, SaeKind.Threshold.ESTIMATED, "k=4"));
        for (int i = 0; i < expected.size(); i++) {
            SaeKind kind = SaeArchitectures.ALL.get(i);
            SaeConfig cfg = SaeConfig.defaults(kind.name(), 8, 16, 4, "embedding", "m");
            SaeArchitecture a = SaeArchitecture.of(cfg);
            Facts f = expected.get(i);
            assertEquals(f, new Facts(a.getClass(), kind.usesK(), kind.aux(), kind.threshold(), a.sparsitySetting()), kind.name());
            assertEquals(kind.usesK() ? 4 : 0, cfg.k(), kind.name());
            assertEquals(kind.usesK(), cfg.toJson().has("k"), kind.name());
            assertEquals(kind.aux() == SaeKind.Aux.AUX_K ? 1.0 / 32 : 0, cfg.auxKCoefficient(), kind.name());
            assertEquals(kind.aux() == SaeKind.Aux.AUX_ZIPF ? 1.0 / 32 : 0, cfg.auxZipfCoefficient(), kind.name());
        }
    }

    @Test
    void onlyTheGatedArchitecturesStartGates() {
        SaeParams p = new SaeParams(8, 16);
        SaeArchitecture.of(SaeConfig.defaults("relu", 8, 16, 4, "embedding", "m")).startGate(p, 3, 0.25f);
        assertEquals(-0.25f, p.bEnc[3]);
        SaeArchitecture.of(SaeConfig.defaults("jumprelu", 8, 16, 4, "embedding", "m")).startGate(p, 3, 0f);
        assertEquals((float) Math.log(1e-3f), p.logThreshold[3]);
        assertTrue(assertThrows(IllegalStateException.class,
                () -> SaeArchitecture.of(SaeConfig.defaults("topk", 8, 16, 4, "embedding", "m")).startGate(p, 3, 0f)).getMessage().startsWith("topk"));
    }
}
