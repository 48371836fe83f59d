// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.LacunaException;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.BlockCsrLinear;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.sparse.NmLinear;
import dev.lacuna.tensor.FloatTensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sparse model soups (Zimmer et al. 2023, "Sparse Model Soups"): the uniform average of models that
 * share one sparsity mask keeps that mask, so the soup is as sparse as its ingredients. Models whose
 * masks differ are refused.
 */
public final class ModelSoup {
    private ModelSoup() {}

    /** The average of {@code models}; every projection keeps the first model's kernel format. */
    public static BertModel average(List<BertModel> models, List<String> names) {
        if (models.size() < 2) throw new LacunaException("soup: need at least 2 models, got " + models.size());
        BertModel first = models.get(0);
        for (int i = 1; i < models.size(); i++) {
            if (!models.get(i).config().equals(first.config())) {
                throw new LacunaException("soup: " + names.get(i) + " has a different architecture than " + names.get(0));
            }
        }
        Map<String, Linear> firstLinears = first.linears();
        for (int i = 1; i < models.size(); i++) {
            Map<String, Linear> li = models.get(i).linears();
            for (Map.Entry<String, Linear> e : firstLinears.entrySet()) {
                float[] a = e.getValue().weight().data(), b = li.get(e.getKey()).weight().data();
                for (int j = 0; j < a.length; j++) {
                    if ((a[j] == 0f) != (b[j] == 0f)) {
                        throw new LacunaException("soup: masks differ: " + e.getKey() + " of " + names.get(i) + " and " + names.get(0)
                                + " differ at weight " + j + " (soups need one shared mask)");
                    }
                }
            }
        }
        Map<String, FloatTensor> avg = new LinkedHashMap<>();
        for (Map.Entry<String, FloatTensor> e : first.tensors().entrySet()) {
            float[] acc = new float[e.getValue().data().length];
            double[] sum = new double[acc.length];
            for (BertModel m : models) {
                float[] d = m.tensors().get(e.getKey()).data();
                for (int j = 0; j < d.length; j++) sum[j] += d[j];
            }
            for (int j = 0; j < acc.length; j++) acc[j] = (float) (sum[j] / models.size());
            avg.put(e.getKey(), new FloatTensor(e.getValue().shape().clone(), acc));
        }
        BertModel dense = BertModel.fromTensors(first.config(), avg);
        Map<String, Linear> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Linear> e : firstLinears.entrySet()) {
            FloatTensor w = avg.get(e.getKey() + ".weight"), b = avg.get(e.getKey() + ".bias");
            Linear l = switch (e.getValue()) {
                case CsrLinear c -> CsrLinear.fromDense(w, b);
                case NmLinear nm -> NmLinear.fromDense(w, b, nm.n(), nm.m());
                case BlockCsrLinear bl -> BlockCsrLinear.fromDense(w, b, bl.blockRows(), bl.blockCols());
                default -> new DenseLinear(w, b);
            };
            kept.put(e.getKey(), l);
        }
        return dense.withLinears(kept);
    }
}
