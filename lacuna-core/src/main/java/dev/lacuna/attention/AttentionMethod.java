// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One attention method, declared once ({@link AttentionMethods} holds them all): what parsing,
 * building, costing and tuning it need to know.
 *
 * @param name        the name plans and the command line use
 * @param description one line: what the method keeps
 * @param defaults    every parameter with its default, in the order messages list them: the method's
 *                    own, then {@code causal} (false), then {@code tile} (64) when tiled
 * @param factory     builds the kernel, validating every value
 * @param cost        modelled work relative to dense attention
 * @param budget      settings of its budget parameter from sparse to dense (for tuning to a recall target)
 */
public record AttentionMethod(String name, String description, Map<String, String> defaults,
                              Factory factory, CostModel cost, BudgetLadder budget) {
    private static final String CAUSAL_DEFAULT = "false";
    private static final String TILE_DEFAULT = "64";

    /** Builds a kernel from validated-on-read parameters; {@code causal} is read before the others. */
    @FunctionalInterface
    public interface Factory {
        AttentionKernel build(MethodParams p, boolean causal);
    }

    /**
     * Floating-point work relative to dense attention (4·N²·D flops: the QKᵀ and PV halves), given
     * the fraction of (query, key) pairs the method kept on sequences of about n tokens.
     */
    @FunctionalInterface
    public interface CostModel {
        double relativeFlops(MethodParams p, double kept, int n, int headDim);

        /** Static masks: the work is the pairs kept. */
        CostModel KEPT = (p, kept, n, d) -> kept;
        /** Exact-score methods compute every QKᵀ score, then PV on what they keep. */
        CostModel EXACT_SCORES = (p, kept, n, d) -> 0.5 + 0.5 * kept;
    }

    /** Budget settings from sparse to dense for sequences of n tokens; empty: nothing to tune. */
    @FunctionalInterface
    public interface BudgetLadder {
        List<Map<String, String>> steps(int n, double recallTarget);

        BudgetLadder NONE = (n, t) -> List.of();
    }

    /** A method from its own parameters (key, default, key, default, ...); causal and tile are added. */
    static AttentionMethod of(String name, String description, boolean tiled, List<String> own, Factory factory, CostModel cost,
                              BudgetLadder budget) {
        Map<String, String> d = new LinkedHashMap<>();
        for (int i = 0; i < own.size(); i += 2) d.put(own.get(i), own.get(i + 1));
        d.put("causal", CAUSAL_DEFAULT);
        if (tiled) d.putIfAbsent("tile", TILE_DEFAULT);
        return new AttentionMethod(name, description, d, factory, cost, budget);
    }

    public AttentionMethod {
        if (!defaults.containsKey("causal")) throw new IllegalArgumentException(name + ": every method takes causal");
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
    }

    /** Whether it runs on the flash engine's tiles and so takes {@code tile}. */
    public boolean tiled() {
        return defaults.containsKey("tile");
    }
}
