// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertConfig;

import java.util.Map;

/**
 * The whole encoder plus pooling in double precision over parameters held as double arrays (named as
 * {@code BertModel.tensors()}), built from {@link DoubleOps}: the function the whole-model gradient
 * check differentiates.
 */
final class DoubleBert {
    private DoubleBert() {}

    /** Pooled, L2-normalised embeddings [B, C], flattened. */
    static double[] embed(BertConfig cfg, Map<String, double[]> p, Batch batch, Pooling pooling) {
        double[][] outs = layerOutputs(cfg, p, batch);
        return DoubleOps.pool(pooling, outs[outs.length - 1], c(cfg), batch.seqStarts());
    }

    private static int c(BertConfig cfg) {
        return cfg.hiddenSize();
    }

    /** Every layer's output [T, C] (resid_post), in layer order. */
    static double[][] layerOutputs(BertConfig cfg, Map<String, double[]> p, Batch batch) {
        double[][] outs = new double[cfg.numHiddenLayers()][];
        int c = cfg.hiddenSize(), in = cfg.intermediateSize(), h = cfg.numAttentionHeads(), t = batch.tokens();
        double eps = cfg.layerNormEps(), scale = 1 / Math.sqrt(cfg.headDim());
        double[] x = DoubleOps.embed(batch, p.get("embeddings.word_embeddings.weight"),
                p.get("embeddings.position_embeddings.weight"), p.get("embeddings.token_type_embeddings.weight"), c);
        x = DoubleOps.layerNorm(x, t, c, p.get("embeddings.LayerNorm.weight"), p.get("embeddings.LayerNorm.bias"), eps);
        for (int l = 0; l < cfg.numHiddenLayers(); l++) {
            String n = "encoder.layer." + l + ".";
            double[] q = lin(p, n + "attention.self.query", x, t, c, c);
            double[] k = lin(p, n + "attention.self.key", x, t, c, c);
            double[] v = lin(p, n + "attention.self.value", x, t, c, c);
            double[] z = DoubleOps.attention(q, k, v, batch.seqStarts(), c, h, scale);
            double[] h1 = DoubleOps.add(x, lin(p, n + "attention.output.dense", z, t, c, c));
            double[] x1 = DoubleOps.layerNorm(h1, t, c, p.get(n + "attention.output.LayerNorm.weight"),
                    p.get(n + "attention.output.LayerNorm.bias"), eps);
            double[] a = DoubleOps.gelu(lin(p, n + "intermediate.dense", x1, t, in, c));
            double[] h2 = DoubleOps.add(x1, lin(p, n + "output.dense", a, t, c, in));
            x = DoubleOps.layerNorm(h2, t, c, p.get(n + "output.LayerNorm.weight"), p.get(n + "output.LayerNorm.bias"), eps);
            outs[l] = x;
        }
        return outs;
    }

    private static double[] lin(Map<String, double[]> p, String name, double[] x, int t, int n, int k) {
        return DoubleOps.linear(x, t, p.get(name + ".weight"), p.get(name + ".bias"), n, k);
    }
}
