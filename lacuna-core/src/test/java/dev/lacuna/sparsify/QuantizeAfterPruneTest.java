// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Linear;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.prune.Recipe;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A prune step then a quantize step: the pruned projections end int8 (CSR ones as csr-int8) with their zeros kept. */
class QuantizeAfterPruneTest {
    @Test
    void pruneThenQuantize() {
        BertModel dense = ModelLoader.load("default").encoder().model();
        Recipe r = Recipe.parse("- prune: {method: magnitude, sparsity: 0.9}\n- quantize: {weights: int8, scheme: per_channel}");
        try (Parallel par = new Parallel(2)) {
            Sparsifier.Sparse sp = Sparsifier.sparsify(dense, r, List.of(), par, 512, false);
            Map<String, Linear> ls = sp.model().linears();
            assertEquals(36, sp.kernels().size());
            for (Map.Entry<String, String> e : sp.kernels().entrySet()) {
                assertTrue(Set.of("int8", "csr-int8").contains(e.getValue()), e.toString());
                assertEquals(e.getValue(), ls.get(e.getKey()).kernel(), e.getKey());
                float[] pruned = sp.prune().weight(e.getKey()).data(), q = ls.get(e.getKey()).weight().data();
                for (int i = 0; i < q.length; i++) if (pruned[i] == 0f) assertEquals(0f, q[i], e.getKey() + " weight " + i);
            }
            assertTrue(sp.kernels().containsValue("csr-int8"), "at 90% sparsity the cost model picks CSR somewhere: " + sp.kernels());
        }
    }
}
