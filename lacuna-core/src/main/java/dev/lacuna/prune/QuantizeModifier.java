// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.kernel.Int8Linear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.CsrInt8Linear;
import dev.lacuna.sparse.CsrLinear;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recipe step that stores the targeted projections' weights in int8 (W8A32, activations stay fp32),
 * llm-compressor's {@code QuantizationModifier} in the form
 * {@code - quantize: {weights: int8, scheme: per_channel}}: symmetric, one scale per output channel
 * ({@link dev.lacuna.kernel.Int8Weight}). It comes after any prune steps and quantizes the pruned
 * weights (zeros stay zeros).
 *
 * @param weights the weight type; only {@code int8}
 * @param scheme  the scale granularity; only {@code per_channel}
 * @param targets which projections: {@code Linear} (all), names, or {@code re:} patterns
 * @param ignore  projections left in fp32
 */
public record QuantizeModifier(String weights, String scheme, List<String> targets, List<String> ignore) {
    /** Keys of a {@code quantize} step; the YAML contract. */
    public static final List<String> KEYS = List.of("weights", "scheme", "targets", "ignore");
    public static final String INT8 = "int8";
    public static final String PER_CHANNEL = "per_channel";

    public QuantizeModifier {
        if (weights == null) throw new LacunaException("weights is missing (int8)");
        if (!weights.equals(INT8)) throw new LacunaException("weights must be int8, got '" + weights + "'");
        if (scheme == null) scheme = PER_CHANNEL;
        if (!scheme.equals(PER_CHANNEL)) throw new LacunaException("scheme must be per_channel, got '" + scheme + "'");
        targets = List.copyOf(targets == null ? PruneModifier.ALL : targets);
        ignore = List.copyOf(ignore == null ? List.of() : ignore);
        if (targets.isEmpty()) throw new LacunaException("targets is empty");
        for (String t : targets) LayerSelectors.check("targets", t);
        for (String t : ignore) LayerSelectors.check("ignore", t);
    }

    /** int8 per channel on every projection. */
    public static QuantizeModifier int8PerChannel() {
        return new QuantizeModifier(INT8, PER_CHANNEL, null, null);
    }

    /** The projections this step quantizes, in the order of {@code names}. */
    public List<String> resolve(Collection<String> names) {
        return LayerSelectors.resolve(targets, ignore, names);
    }

    /**
     * A new model whose targeted projections compute with int8 weights quantized from their current
     * ones: CSR projections become {@link CsrInt8Linear} (int8 values, a scale per row), every other
     * kernel (dense, N:M, blocked) becomes the dense {@link Int8Linear}.
     */
    public BertModel apply(BertModel model) {
        Map<String, Linear> linears = model.linears();
        Map<String, Linear> replace = new LinkedHashMap<>();
        for (String name : resolve(linears.keySet())) {
            Linear l = linears.get(name);
            if (l instanceof Int8Linear || l instanceof CsrInt8Linear) continue;
            try {
                replace.put(name, l instanceof CsrLinear ? CsrInt8Linear.fromDense(l.weight(), l.bias()) : Int8Linear.quantize(l.weight(), l.bias()));
            } catch (IllegalArgumentException e) {
                throw new LacunaException(name + ": " + e.getMessage());
            }
        }
        return model.withLinears(replace);
    }
}
