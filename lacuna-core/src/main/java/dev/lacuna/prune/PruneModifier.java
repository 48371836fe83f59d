// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.sparse.SparsityPattern;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * One {@code prune} step of a recipe. Validated on construction; errors name the key and the value.
 *
 * @param method          how weights are scored (and, for SparseGPT, updated)
 * @param sparsity        fraction of each targeted layer's weights to prune, in [0, 1); for N:M it is 1 - N/M
 * @param pattern         where zeros may sit
 * @param targets         projections to prune: exact names ({@code encoder.layer.0.attention.self.query}),
 *                        regexes with a {@code re:} prefix (matched from the start of the name, like Python's
 *                        {@code re.match}), or {@code Linear} for every projection
 * @param ignore          projections to leave alone, same syntax; applied after {@code targets}
 * @param layerwiseRatio  {@code uniform} (every layer gets {@code sparsity}) or {@code erk}
 * @param scope           {@code layer}, or {@code global} (magnitude only: one threshold across all targets)
 * @param seed            seed of random choices (random pruning); recorded for the other methods
 * @param dsnot           refine each mask with DSnoT
 * @param owl             per-layer ratios by OWL (unstructured only)
 * @param dampening       SparseGPT's percdamp: dampening x mean(diag H) is added to H's diagonal
 * @param blockSize       SparseGPT's column block size
 * @param owlLambda       OWL's λ: layer sparsities span target ± λ
 * @param owlM            OWL's M: a score above M x mean is an outlier
 * @param dsnotIterations DSnoT's cap on swap cycles per row
 * @param dsnotThreshold  DSnoT's stop threshold on |expected error| of a row
 */
public record PruneModifier(Method method, double sparsity, SparsityPattern pattern, List<String> targets, List<String> ignore,
                            LayerwiseRatio layerwiseRatio, Scope scope, long seed, boolean dsnot, boolean owl,
                            double dampening, int blockSize, double owlLambda, double owlM, int dsnotIterations,
                            double dsnotThreshold) {

    /** How weights are scored. */
    public enum Method {
        MAGNITUDE(false), RANDOM(false), WANDA(true), SPARSEGPT(true);

        private final boolean calibrated;

        Method(boolean calibrated) {
            this.calibrated = calibrated;
        }

        /** Whether the method reads activations. */
        public boolean calibrated() {
            return calibrated;
        }

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Method parse(String s) {
            for (Method m : values()) if (m.spelling().equals(s)) return m;
            throw new LacunaException("method '" + s + "' is not one of magnitude, random, wanda, sparsegpt");
        }
    }

    /** How the target sparsity is spread over layers. */
    public enum LayerwiseRatio {
        UNIFORM, ERK;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static LayerwiseRatio parse(String s) {
            for (LayerwiseRatio m : values()) if (m.spelling().equals(s)) return m;
            throw new LacunaException("layerwise_ratio '" + s + "' is not one of uniform, erk");
        }
    }

    /** Which weights compete for the threshold. */
    public enum Scope {
        LAYER, GLOBAL;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Scope parse(String s) {
            for (Scope m : values()) if (m.spelling().equals(s)) return m;
            throw new LacunaException("scope '" + s + "' is not one of layer, global");
        }
    }

    public static final List<String> ALL = List.of("Linear");
    public static final double DEFAULT_OWL_LAMBDA = 0.08;
    public static final double DEFAULT_OWL_M = 5;

    public PruneModifier {
        if (method == null) throw new LacunaException("method is missing");
        if (pattern == null) pattern = SparsityPattern.UNSTRUCTURED;
        if (!(sparsity >= 0 && sparsity < 1)) throw new LacunaException("sparsity must be in [0,1), got " + num(sparsity));
        if (pattern instanceof SparsityPattern.NofM nm && Math.abs(nm.sparsity() - sparsity) > 1e-9) {
            throw new LacunaException("sparsity " + num(sparsity) + " does not match pattern " + nm.spelling() + " (which means sparsity " + num(nm.sparsity()) + ")");
        }
        targets = List.copyOf(targets == null ? ALL : targets);
        ignore = List.copyOf(ignore == null ? List.of() : ignore);
        if (targets.isEmpty()) throw new LacunaException("targets is empty");
        for (String t : targets) LayerSelectors.check("targets", t);
        for (String t : ignore) LayerSelectors.check("ignore", t);
        if (layerwiseRatio == null) layerwiseRatio = LayerwiseRatio.UNIFORM;
        if (scope == null) scope = Scope.LAYER;
        if (scope == Scope.GLOBAL) {
            if (method != Method.MAGNITUDE) throw new LacunaException("scope global applies to method magnitude only, got method " + method.spelling());
            if (!(pattern instanceof SparsityPattern.Unstructured)) throw new LacunaException("scope global needs pattern unstructured, got " + pattern.spelling());
            if (layerwiseRatio != LayerwiseRatio.UNIFORM) throw new LacunaException("scope global sets per-layer sparsity itself; layerwise_ratio must be uniform, got " + layerwiseRatio.spelling());
            if (owl) throw new LacunaException("scope global and owl both set per-layer sparsity; choose one");
        }
        if (owl) {
            if (!(pattern instanceof SparsityPattern.Unstructured)) throw new LacunaException("owl applies to unstructured sparsity only, got pattern " + pattern.spelling());
            if (layerwiseRatio != LayerwiseRatio.UNIFORM) throw new LacunaException("owl and layerwise_ratio " + layerwiseRatio.spelling() + " both set per-layer sparsity; choose one");
        }
        if (layerwiseRatio == LayerwiseRatio.ERK && !(pattern instanceof SparsityPattern.Unstructured) && !(pattern instanceof SparsityPattern.Block)) {
            throw new LacunaException("layerwise_ratio erk needs a pattern whose sparsity can vary, got " + pattern.spelling());
        }
        if (dsnot && pattern instanceof SparsityPattern.Block) throw new LacunaException("dsnot supports unstructured and N:M patterns, got " + pattern.spelling());
        if (!(dampening >= 0) || Double.isInfinite(dampening)) throw new LacunaException("dampening must be a finite number >= 0, got " + num(dampening));
        if (blockSize < 1) throw new LacunaException("block_size must be >= 1, got " + blockSize);
        if (!(owlLambda >= 0 && owlLambda < 1)) throw new LacunaException("owl_lambda must be in [0,1), got " + num(owlLambda));
        if (!(owlM > 0) || Double.isInfinite(owlM)) throw new LacunaException("owl_m must be a finite number > 0, got " + num(owlM));
        if (dsnotIterations < 0) throw new LacunaException("dsnot_iterations must be >= 0, got " + dsnotIterations);
        if (!(dsnotThreshold >= 0) || Double.isInfinite(dsnotThreshold)) throw new LacunaException("dsnot_threshold must be a finite number >= 0, got " + num(dsnotThreshold));
    }

    /** A modifier with every optional setting at its default. */
    public static PruneModifier of(Method method, double sparsity, SparsityPattern pattern) {
        return new PruneModifier(method, sparsity, pattern, ALL, List.of(), LayerwiseRatio.UNIFORM, Scope.LAYER, 0, false, false,
                SparseGptPruner.DEFAULT_DAMPENING, SparseGptPruner.DEFAULT_BLOCK_SIZE, DEFAULT_OWL_LAMBDA, DEFAULT_OWL_M,
                DsnotRefiner.DEFAULT_CYCLES, DsnotRefiner.DEFAULT_THRESHOLD);
    }

    /** Whether this step reads activations (for its method, DSnoT or OWL). */
    public boolean needsCalibration() {
        return method.calibrated() || dsnot || owl;
    }

    /** A name for reports: the method with its options, e.g. {@code wanda+owl+dsnot}. */
    public String label() {
        return method.spelling() + (scope == Scope.GLOBAL ? "(global)" : "") + (layerwiseRatio == LayerwiseRatio.ERK ? "+erk" : "")
                + (owl ? "+owl" : "") + (dsnot ? "+dsnot" : "");
    }

    /**
     * The projections this step prunes, in the order of {@code names}.
     *
     * @throws LacunaException when an entry of {@code targets} matches nothing, or an exact name in
     *                         {@code ignore} is not a projection
     */
    public List<String> resolve(Collection<String> names) {
        return LayerSelectors.resolve(targets, ignore, names);
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }
}
