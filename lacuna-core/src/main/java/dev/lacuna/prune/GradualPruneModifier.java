// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;

import java.util.Collection;
import java.util.List;

/**
 * Gradual magnitude pruning during a distill step (Zhu &amp; Gupta 2017, "To prune, or not to prune"),
 * in the form {@code - gradual: {sparsity: 0.7, init: 0.0, start: 0.0, end: 0.75, every: 0.05}} before
 * {@code - distill}. The sparsity of every targeted projection follows the cubic schedule
 * <pre>
 *   s(t) = s_f + (s_i − s_f)·(1 − p)³,   p = min(1, j·every / (end − start)),   j = ⌊(t/T − start) / every⌋
 * </pre>
 * over the T steps of the distill step (start, end and every are fractions of T; s = s_i before
 * start), and at each change the weights of least |w| among those still kept are pruned, per
 * projection, unstructured; a pruned weight never returns (its AdamW moments are cleared).
 *
 * @param sparsity the final sparsity s_f, in (0, 1)
 * @param init     the initial sparsity s_i, in [0, s_f]
 * @param start    fraction of the steps where pruning begins, in [0, 1)
 * @param end      fraction where it reaches s_f, in (start, 1]
 * @param every    fraction of the steps between mask updates, in (0, end − start]
 * @param targets  projections, as {@link PruneModifier#targets}
 * @param ignore   projections left alone
 */
public record GradualPruneModifier(double sparsity, double init, double start, double end, double every, List<String> targets,
                                   List<String> ignore) {
    /** Keys of a {@code gradual} step; the YAML contract. */
    public static final List<String> KEYS = List.of("sparsity", "init", "start", "end", "every", "targets", "ignore");

    public GradualPruneModifier {
        if (!(sparsity > 0 && sparsity < 1)) throw new LacunaException("sparsity must be in (0, 1), got " + sparsity);
        if (!(init >= 0 && init <= sparsity)) throw new LacunaException("init must be in [0, sparsity " + sparsity + "], got " + init);
        if (!(start >= 0 && start < 1)) throw new LacunaException("start must be a fraction of the steps in [0, 1), got " + start);
        if (!(end > start && end <= 1)) throw new LacunaException("end must be in (start " + start + ", 1], got " + end);
        if (!(every > 0 && every <= end - start + 1e-12)) throw new LacunaException("every must be in (0, end − start = " + (end - start) + "], got " + every);
        targets = List.copyOf(targets == null ? PruneModifier.ALL : targets);
        ignore = List.copyOf(ignore == null ? List.of() : ignore);
        if (targets.isEmpty()) throw new LacunaException("targets is empty");
        for (String t : targets) LayerSelectors.check("targets", t);
        for (String t : ignore) LayerSelectors.check("ignore", t);
    }

    /** The projections this step prunes, in the order of {@code names}. */
    public List<String> resolve(Collection<String> names) {
        return LayerSelectors.resolve(targets, ignore, names);
    }

    /** The scheduled sparsity at step {@code t} of {@code total} (t from 1). */
    public double sparsityAt(long t, long total) {
        double f = (double) t / total;
        if (f < start) return init;
        long j = (long) Math.floor((f - start) / every + 1e-9);
        double p = Math.min(1, j * every / (end - start));
        if (f >= end) p = 1;
        return sparsity + (init - sparsity) * Math.pow(1 - p, 3);
    }

    static GradualPruneModifier parse(java.util.Map<String, Object> p) {
        if (!p.containsKey("sparsity")) throw new LacunaException("sparsity is missing (the final sparsity)");
        return new GradualPruneModifier(Recipe.number("sparsity", p.get("sparsity")),
                p.containsKey("init") ? Recipe.number("init", p.get("init")) : 0.0,
                p.containsKey("start") ? Recipe.number("start", p.get("start")) : 0.0,
                p.containsKey("end") ? Recipe.number("end", p.get("end")) : 0.75,
                p.containsKey("every") ? Recipe.number("every", p.get("every")) : 0.05,
                p.containsKey("targets") ? Recipe.strings("targets", p.get("targets")) : null,
                p.containsKey("ignore") ? Recipe.strings("ignore", p.get("ignore")) : null);
    }

    String toYaml() {
        StringBuilder sb = new StringBuilder();
        sb.append("sparsity: ").append(sparsity).append(", init: ").append(init).append(", start: ").append(start).append(", end: ").append(end)
                .append(", every: ").append(every).append(", targets: ").append(Recipe.list(targets));
        if (!ignore.isEmpty()) sb.append(", ignore: ").append(Recipe.list(ignore));
        return sb.toString();
    }
}
