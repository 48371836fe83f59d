// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Spearman x100 of cosine(sentence1, sentence2) against the gold score, over all pairs. */
public final class StsbEvaluator {
    private StsbEvaluator() {}

    /** @param embed maps distinct sentences to their embeddings, [n][C] in order */
    public static double spearman(List<StsbPair> pairs, Function<List<String>, float[][]> embed) {
        Map<String, Integer> index = new HashMap<>();
        List<String> unique = new ArrayList<>();
        for (StsbPair p : pairs) {
            for (String s : new String[] {p.sentence1(), p.sentence2()}) {
                if (!index.containsKey(s)) {
                    index.put(s, unique.size());
                    unique.add(s);
                }
            }
        }
        float[][] v = embed.apply(unique);
        double[] cos = new double[pairs.size()];
        double[] gold = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            StsbPair p = pairs.get(i);
            cos[i] = Vectors.cosine(v[index.get(p.sentence1())], v[index.get(p.sentence2())]);
            gold[i] = p.score();
        }
        return 100 * Spearman.correlation(cos, gold);
    }
}
