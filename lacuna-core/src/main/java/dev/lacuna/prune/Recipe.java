// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.io.IoProblem;
import dev.lacuna.io.PathChecks;
import dev.lacuna.sparse.SparsityPattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compression recipe: named, described, and a list of {@code prune} modifiers applied in order,
 * optionally followed by one {@code distill} step ({@link DistillModifier}: training against the dense
 * model, masks fixed) and then one {@code quantize} step ({@link QuantizeModifier}), in the style of
 * llm-compressor recipes. Two YAML forms are read:
 * <pre>
 * - prune: {method: wanda, sparsity: 0.5}
 * </pre>
 * and
 * <pre>
 * name: wanda-50
 * description: Wanda, 50% unstructured, every encoder projection
 * modifiers:
 *   - prune: {method: wanda, sparsity: 0.5, pattern: unstructured, targets: ["re:.*"]}
 *   - distill: {minutes: 10, losses: [embedding, squarehead]}
 *   - quantize: {weights: int8, scheme: per_channel}
 * </pre>
 * {@link #toYaml()} writes the second form; parsing it back gives an equal recipe.
 *
 * @param name        short name, recorded in pruned models' provenance
 * @param description free text: what the recipe does and where it comes from
 * @param modifiers   the prune steps, applied in order
 * @param gradual     gradual magnitude pruning during the distill step ({@code - gradual: {...}} just before
 *                    {@code - distill}), or null
 * @param distill     the distill step after them, or null; it needs a prune or a gradual step before it
 * @param quantize    the quantize step after them, or null; with the prune steps, at least one step
 */
public record Recipe(String name, String description, List<PruneModifier> modifiers, GradualPruneModifier gradual, DistillModifier distill,
                     QuantizeModifier quantize) {
    /** Keys of a {@code prune} modifier; the YAML contract. */
    public static final List<String> KEYS = List.of("method", "sparsity", "pattern", "targets", "ignore", "layerwise_ratio",
            "scope", "seed", "dsnot", "owl", "dampening", "block_size", "owl_lambda", "owl_m", "dsnot_iterations", "dsnot_threshold");

    public Recipe {
        if (name == null || name.isBlank()) throw new LacunaException("recipe: name is empty");
        if (description == null) description = "";
        modifiers = List.copyOf(modifiers);
        if (modifiers.isEmpty() && quantize == null && distill == null) throw new LacunaException("recipe: no modifiers");
        if (distill != null && modifiers.isEmpty() && gradual == null) {
            throw new LacunaException("recipe: a distill step needs a prune or gradual step before it");
        }
        if (gradual != null && distill == null) throw new LacunaException("recipe: a gradual step needs a distill step after it (it prunes while training)");
        if (distill != null && distill.masks() == DistillModifier.MaskTraining.SR_STE && srsteTargets(modifiers, gradual) == null) {
            throw new LacunaException("recipe: distill masks: sr-ste needs N:M prune steps before it (and no gradual step)");
        }
    }

    /** The N:M pattern SR-STE keeps while training: every prune step's, all the same; else null. */
    private static SparsityPattern.NofM srsteTargets(List<PruneModifier> modifiers, GradualPruneModifier gradual) {
        if (gradual != null || modifiers.isEmpty()) return null;
        SparsityPattern first = modifiers.get(0).pattern();
        for (PruneModifier m : modifiers) if (!m.pattern().equals(first)) return null;
        return first instanceof SparsityPattern.NofM nm ? nm : null;
    }

    /** The N:M pattern of a recipe whose distill step trains with SR-STE, else null. */
    public SparsityPattern.NofM srstePattern() {
        return distill != null && distill.masks() == DistillModifier.MaskTraining.SR_STE ? srsteTargets(modifiers, gradual) : null;
    }

    /** A recipe without gradual pruning. */
    public Recipe(String name, String description, List<PruneModifier> modifiers, DistillModifier distill, QuantizeModifier quantize) {
        this(name, description, modifiers, null, distill, quantize);
    }

    /** A recipe without a distill step. */
    public Recipe(String name, String description, List<PruneModifier> modifiers, QuantizeModifier quantize) {
        this(name, description, modifiers, null, null, quantize);
    }

    /** A recipe of prune steps only. */
    public Recipe(String name, String description, List<PruneModifier> modifiers) {
        this(name, description, modifiers, null);
    }

    /** A recipe of one modifier. */
    public static Recipe of(String name, PruneModifier m) {
        return new Recipe(name, "", List.of(m));
    }

    /** Whether any step reads activations: then {@link OneShotPruner#prune} needs calibration sequences. */
    public boolean needsCalibration() {
        return modifiers.stream().anyMatch(PruneModifier::needsCalibration);
    }

    /** Parses YAML; a recipe without a name is called {@code recipe}. */
    public static Recipe parse(String yaml) {
        return parse(yaml, "recipe");
    }

    /** Reads a recipe file; a recipe without a name takes the file's name without {@code .yaml}. */
    public static Recipe load(Path file) {
        PathChecks.requireRegularFile(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LacunaException(file + ": no such recipe file");
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot read recipe (" + IoProblem.describe(e) + ")");
        }
        String stem = file.getFileName().toString().replaceFirst("\\.(yaml|yml)$", "");
        try {
            return parse(text, stem);
        } catch (LacunaException e) {
            throw new LacunaException(file + ": " + e.getMessage(), e);
        }
    }

    private static Recipe parse(String yaml, String defaultName) {
        Object root;
        try {
            LoaderOptions lo = new LoaderOptions();
            lo.setAllowDuplicateKeys(false);
            root = new Yaml(new SafeConstructor(lo)).load(yaml);
        } catch (MarkedYAMLException e) {
            String where = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
            throw new LacunaException("recipe: invalid YAML" + where + ": " + e.getProblem());
        } catch (YAMLException e) {
            throw new LacunaException("recipe: invalid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (RuntimeException e) { // SnakeYAML's own failures on odd tags: "!%A" (IllegalArgumentException), "!!null" on a mapping (ClassCastException); found by fuzzing
            throw new LacunaException("recipe: invalid YAML: a tag or node it cannot construct (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        String name = defaultName, description = "";
        Object mods;
        if (root instanceof List<?>) {
            mods = root;
        } else if (root instanceof Map<?, ?> m) {
            for (Object key : m.keySet()) {
                if (!Set.of("name", "description", "modifiers").contains(String.valueOf(key))) {
                    throw new LacunaException("recipe: unknown key '" + key + "' (expected name, description, modifiers)");
                }
            }
            if (m.containsKey("name")) name = string("recipe: name", m.get("name"));
            if (m.containsKey("description")) description = string("recipe: description", m.get("description"));
            mods = m.get("modifiers");
            if (mods == null) throw new LacunaException("recipe: modifiers is missing");
        } else {
            throw new LacunaException("recipe: expected a list of modifiers or a mapping with name, description, modifiers; got "
                    + (root == null ? "an empty document" : "a " + kind(root)));
        }
        if (!(mods instanceof List<?> list)) throw new LacunaException("recipe: modifiers must be a list, got a " + kind(mods));
        if (list.isEmpty()) throw new LacunaException("recipe: no modifiers");
        List<PruneModifier> out = new ArrayList<>();
        GradualPruneModifier gradual = null;
        DistillModifier distill = null;
        QuantizeModifier quantize = null;
        for (int i = 0; i < list.size(); i++) {
            String where = "recipe: modifier " + (i + 1) + ": ";
            try {
                Object entry = list.get(i);
                if (!(entry instanceof Map<?, ?> m) || m.size() != 1) {
                    throw new LacunaException("expected a mapping with one key, prune, gradual, distill or quantize, got "
                            + (entry instanceof Map<?, ?> mm ? "keys " + mm.keySet() : "a " + kind(entry)));
                }
                Object type = m.keySet().iterator().next();
                if (quantize != null) throw new LacunaException("quantize must be the last step (a " + type + " step follows it)");
                if (distill != null && !"quantize".equals(type)) {
                    throw new LacunaException("a " + type + " step after distill: distill comes after every prune step, and only quantize may follow it");
                }
                if (gradual != null && !"distill".equals(type)) throw new LacunaException("a " + type + " step after gradual: distill must follow it");
                if ("prune".equals(type)) out.add(prune(settings("prune", m.get(type), KEYS)));
                else if ("gradual".equals(type)) gradual = GradualPruneModifier.parse(settings("gradual", m.get(type), GradualPruneModifier.KEYS));
                else if ("distill".equals(type)) {
                    if (out.isEmpty() && gradual == null) throw new LacunaException("distill needs a prune or gradual step before it (it trains the pruned model)");
                    distill = DistillModifier.parse(settings("distill", m.get(type), DistillModifier.KEYS));
                } else if ("quantize".equals(type)) quantize = quantize(settings("quantize", m.get(type), QuantizeModifier.KEYS));
                else throw new LacunaException("unknown modifier '" + type + "' (expected prune, gradual, distill or quantize)");
            } catch (LacunaException e) {
                throw new LacunaException(where + e.getMessage(), e);
            }
        }
        if (gradual != null && distill == null) throw new LacunaException("recipe: a gradual step needs a distill step after it (it prunes while training)");
        return new Recipe(name, description, out, gradual, distill, quantize);
    }

    /** A step's settings; a key not in {@code keys} or without a value is refused. */
    private static Map<String, Object> settings(String type, Object body, List<String> keys) {
        if (!(body instanceof Map<?, ?> raw)) throw new LacunaException(type + " must be a mapping of settings, got a " + kind(body));
        Map<String, Object> p = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!keys.contains(key)) throw new LacunaException("unknown key '" + key + "' (known: " + String.join(", ", keys) + ")");
            if (e.getValue() == null) throw new LacunaException(key + " has no value");
            p.put(key, e.getValue());
        }
        return p;
    }

    private static QuantizeModifier quantize(Map<String, Object> p) {
        if (!p.containsKey("weights")) throw new LacunaException("weights is missing (int8)");
        return new QuantizeModifier(string("weights", p.get("weights")),
                p.containsKey("scheme") ? string("scheme", p.get("scheme")) : null,
                p.containsKey("targets") ? strings("targets", p.get("targets")) : null,
                p.containsKey("ignore") ? strings("ignore", p.get("ignore")) : null);
    }

    private static PruneModifier prune(Map<String, Object> p) {
        if (!p.containsKey("method")) throw new LacunaException("method is missing (magnitude, random, wanda, sparsegpt)");
        PruneModifier.Method method = PruneModifier.Method.parse(string("method", p.get("method")));
        if (p.get("pattern") instanceof Number n) {
            throw new LacunaException("pattern " + n + " is a number: quote N:M patterns, e.g. pattern: \"2:4\" (YAML 1.1 reads 2:4 as the base-60 number 124)");
        }
        SparsityPattern pattern = p.containsKey("pattern") ? SparsityPattern.parse(string("pattern", p.get("pattern"))) : SparsityPattern.UNSTRUCTURED;
        double sparsity;
        if (p.containsKey("sparsity")) sparsity = number("sparsity", p.get("sparsity"));
        else if (pattern instanceof SparsityPattern.NofM nm) sparsity = nm.sparsity();
        else throw new LacunaException("sparsity is missing");
        boolean dsnot = p.containsKey("dsnot") && bool("dsnot", p.get("dsnot"));
        boolean owl = p.containsKey("owl") && bool("owl", p.get("owl"));
        onlyWith(p, "dampening", method == PruneModifier.Method.SPARSEGPT, "method sparsegpt");
        onlyWith(p, "block_size", method == PruneModifier.Method.SPARSEGPT, "method sparsegpt");
        onlyWith(p, "owl_lambda", owl, "owl: true");
        onlyWith(p, "owl_m", owl, "owl: true");
        onlyWith(p, "dsnot_iterations", dsnot, "dsnot: true");
        onlyWith(p, "dsnot_threshold", dsnot, "dsnot: true");
        return new PruneModifier(method, sparsity, pattern,
                p.containsKey("targets") ? strings("targets", p.get("targets")) : PruneModifier.ALL,
                p.containsKey("ignore") ? strings("ignore", p.get("ignore")) : List.of(),
                p.containsKey("layerwise_ratio") ? PruneModifier.LayerwiseRatio.parse(string("layerwise_ratio", p.get("layerwise_ratio"))) : PruneModifier.LayerwiseRatio.UNIFORM,
                p.containsKey("scope") ? PruneModifier.Scope.parse(string("scope", p.get("scope"))) : PruneModifier.Scope.LAYER,
                p.containsKey("seed") ? integer("seed", p.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE) : 0,
                dsnot, owl,
                p.containsKey("dampening") ? number("dampening", p.get("dampening")) : SparseGptPruner.DEFAULT_DAMPENING,
                p.containsKey("block_size") ? (int) integer("block_size", p.get("block_size"), 1, Integer.MAX_VALUE) : SparseGptPruner.DEFAULT_BLOCK_SIZE,
                p.containsKey("owl_lambda") ? number("owl_lambda", p.get("owl_lambda")) : PruneModifier.DEFAULT_OWL_LAMBDA,
                p.containsKey("owl_m") ? number("owl_m", p.get("owl_m")) : PruneModifier.DEFAULT_OWL_M,
                p.containsKey("dsnot_iterations") ? (int) integer("dsnot_iterations", p.get("dsnot_iterations"), 0, Integer.MAX_VALUE) : DsnotRefiner.DEFAULT_CYCLES,
                p.containsKey("dsnot_threshold") ? number("dsnot_threshold", p.get("dsnot_threshold")) : DsnotRefiner.DEFAULT_THRESHOLD);
    }

    private static void onlyWith(Map<String, Object> p, String key, boolean allowed, String needs) {
        if (p.containsKey(key) && !allowed) throw new LacunaException("key '" + key + "' applies only with " + needs);
    }

    static String string(String key, Object v) {
        if (v instanceof String s) return s;
        if (v instanceof Number || v instanceof Boolean) return String.valueOf(v);
        throw new LacunaException(key + " must be a string, got a " + kind(v));
    }

    static double number(String key, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        throw new LacunaException(key + " must be a number, got '" + v + "'");
    }

    static long integer(String key, Object v, long min, long max) {
        if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
            BigInteger b = new BigInteger(v.toString());
            if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(max)) > 0) {
                throw new LacunaException(key + " must be in [" + min + ", " + max + "], got " + v);
            }
            return b.longValue();
        }
        throw new LacunaException(key + " must be an integer, got '" + v + "'");
    }

    static boolean bool(String key, Object v) {
        if (v instanceof Boolean b) return b;
        throw new LacunaException(key + " must be true or false, got '" + v + "'");
    }

    static List<String> strings(String key, Object v) {
        if (v instanceof String s) return List.of(s);
        if (!(v instanceof List<?> l)) throw new LacunaException(key + " must be a list of names or re: patterns, got a " + kind(v));
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Object o : l) {
            if (!(o instanceof String s)) throw new LacunaException(key + " entries must be strings, got " + o);
            if (seen.add(s)) out.add(s);
        }
        return out;
    }

    private static String kind(Object o) {
        if (o instanceof Map<?, ?>) return "mapping";
        if (o instanceof List<?>) return "list";
        if (o instanceof String) return "string";
        if (o instanceof Number) return "number";
        if (o instanceof Boolean) return "boolean";
        return o == null ? "null" : o instanceof java.util.Date ? "timestamp" : "value";
    }

    /** The recipe in the mapping form, one flow mapping per modifier, default settings left out. */
    public String toYaml() {
        StringBuilder sb = new StringBuilder();
        sb.append("name: ").append(quote(name)).append('\n');
        if (!description.isEmpty()) sb.append("description: ").append(quote(description)).append('\n');
        sb.append("modifiers:\n");
        PruneModifier def = PruneModifier.of(PruneModifier.Method.MAGNITUDE, 0, SparsityPattern.UNSTRUCTURED);
        for (PruneModifier m : modifiers) {
            List<String> kv = new ArrayList<>();
            kv.add("method: " + m.method().spelling());
            kv.add("sparsity: " + Double.toString(m.sparsity()));
            kv.add("pattern: " + quote(m.pattern().spelling()));
            kv.add("targets: " + list(m.targets()));
            if (!m.ignore().isEmpty()) kv.add("ignore: " + list(m.ignore()));
            if (m.layerwiseRatio() != def.layerwiseRatio()) kv.add("layerwise_ratio: " + m.layerwiseRatio().spelling());
            if (m.scope() != def.scope()) kv.add("scope: " + m.scope().spelling());
            if (m.seed() != def.seed()) kv.add("seed: " + m.seed());
            if (m.dsnot()) kv.add("dsnot: true");
            if (m.owl()) kv.add("owl: true");
            if (m.method() == PruneModifier.Method.SPARSEGPT) {
                if (m.dampening() != def.dampening()) kv.add("dampening: " + Double.toString(m.dampening()));
                if (m.blockSize() != def.blockSize()) kv.add("block_size: " + m.blockSize());
            }
            if (m.owl()) {
                if (m.owlLambda() != def.owlLambda()) kv.add("owl_lambda: " + Double.toString(m.owlLambda()));
                if (m.owlM() != def.owlM()) kv.add("owl_m: " + Double.toString(m.owlM()));
            }
            if (m.dsnot()) {
                if (m.dsnotIterations() != def.dsnotIterations()) kv.add("dsnot_iterations: " + m.dsnotIterations());
                if (m.dsnotThreshold() != def.dsnotThreshold()) kv.add("dsnot_threshold: " + Double.toString(m.dsnotThreshold()));
            }
            sb.append("  - prune: {").append(String.join(", ", kv)).append("}\n");
        }
        if (gradual != null) sb.append("  - gradual: {").append(gradual.toYaml()).append("}\n");
        if (distill != null) sb.append("  - distill: {").append(distill.toYaml()).append("}\n");
        if (quantize != null) {
            sb.append("  - quantize: {weights: ").append(quantize.weights()).append(", scheme: ").append(quantize.scheme())
                    .append(", targets: ").append(list(quantize.targets()));
            if (!quantize.ignore().isEmpty()) sb.append(", ignore: ").append(list(quantize.ignore()));
            sb.append("}\n");
        }
        return sb.toString();
    }

    static String list(List<String> items) {
        List<String> q = new ArrayList<>();
        for (String s : items) q.add(quote(s));
        return "[" + String.join(", ", q) + "]";
    }

    /** A YAML double-quoted scalar (JSON escapes are valid there). */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
