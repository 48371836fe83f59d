// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An attention method by name with its parameters, validated, defaults filled in; {@link #kernel()}
 * builds it. Parameters are key=value strings, as given on a command line or in a plan file. The
 * methods, their parameters and defaults are declared in {@link AttentionMethods}.
 */
public record MethodSpec(String name, Map<String, String> params) {
    /** Every method name, in the order of {@link AttentionMethods#all()}. */
    public static final List<String> METHODS = AttentionMethods.names();

    public MethodSpec {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /**
     * Validates a method and its parameters and fills in defaults.
     *
     * @throws LacunaException naming the method or parameter at fault
     */
    public static MethodSpec parse(String name, Map<String, String> params) {
        AttentionMethod method = AttentionMethods.find(name);
        if (method == null) {
            throw new LacunaException("unknown attention method '" + name + "' (methods: " + String.join(", ", METHODS) + ")");
        }
        Map<String, String> d = method.defaults();
        Map<String, String> all = new LinkedHashMap<>(d);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!d.containsKey(e.getKey())) {
                throw new LacunaException(name + ": unknown parameter '" + e.getKey() + "' (parameters: "
                        + String.join(", ", d.keySet()) + ")");
            }
            if (e.getValue() == null || e.getValue().isBlank()) throw new LacunaException(name + ": parameter " + e.getKey() + " is empty");
            all.put(e.getKey(), e.getValue().strip());
        }
        MethodSpec spec = new MethodSpec(name, all);
        spec.kernel(); // validates every value
        return spec;
    }

    /** {@link #parse} then {@link #kernel()}. */
    public static AttentionKernel kernel(String name, Map<String, String> params) {
        return parse(name, params).kernel();
    }

    /** Parses "name" or "name:key=value,key=value" (commas inside list values: use ';' between params). */
    public static MethodSpec parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) return parse(text.strip(), Map.of());
        Map<String, String> p = new LinkedHashMap<>();
        String body = text.substring(colon + 1);
        for (String kv : body.split(body.contains(";") ? ";" : ",(?=[a-z_-]+=)")) {
            if (kv.isBlank()) continue;
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new LacunaException(text + ": expected key=value, got '" + kv + "'");
            p.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return parse(text.substring(0, colon).strip(), p);
    }

    /** The default parameters of a method. */
    public static Map<String, String> defaults(String name) {
        AttentionMethod m = AttentionMethods.find(name);
        if (m == null) throw new LacunaException("unknown attention method '" + name + "'");
        return m.defaults();
    }

    /** The method's declaration. */
    public AttentionMethod method() {
        AttentionMethod m = AttentionMethods.find(name);
        if (m == null) throw new LacunaException("unknown attention method '" + name + "'");
        return m;
    }

    /** A copy with some parameters replaced (validated). */
    public MethodSpec with(Map<String, String> changes) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.putAll(changes);
        return parse(name, p);
    }

    /** "name key=value ..." with only the parameters that differ from the defaults. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        Map<String, String> d = method().defaults();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getValue().equals(d.get(e.getKey()))) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** Builds the kernel. */
    public AttentionKernel kernel() {
        MethodParams p = new MethodParams(name, params);
        return method().factory().build(p, p.causal());
    }

    /** Modelled work relative to dense attention when the method keeps {@code kept} of the pairs (see {@link AttentionMethod#cost}). */
    public double relativeFlops(double kept, int n, int headDim) {
        return method().cost().relativeFlops(new MethodParams(name, params), kept, n, headDim);
    }

    /** The documented defaults, "method: key=value ...  (description)" per line, for help texts. */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        for (AttentionMethod m : AttentionMethods.all()) {
            StringBuilder b = new StringBuilder(m.name()).append(':');
            m.defaults().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            out.add(b.append("  (").append(m.description()).append(')').toString());
        }
        return out;
    }
}
