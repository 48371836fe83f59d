// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.IoProblem;
import dev.lacuna.io.PathChecks;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@link SparsePlan}s as YAML:
 * <pre>
 * format: lacuna-attention-plan/1
 * model: default
 * model_identity: {config: sha256:..., weights: sha256:...}
 * layers: 6
 * heads: 12
 * provenance: {calibration: ..., recall_target: '0.95', seed: '1', version: ...}
 * plan:
 * - {layer: 0, head: 0, method: window, params: {window: '64'}, recall: 0.97, cost: 0.6,
 *    sensitivity: 1.1, pattern: diagonal, skippable: false}
 * </pre>
 * {@code model_identity} (optional: files written before it was recorded lack it) is the fingerprint
 * of the model calibrated on; applying the plan to another model is refused unless forced.
 * Heads not listed run dense. {@code params} lists only values that differ from the defaults;
 * recall, cost, sensitivity, pattern (the head's attention-map shape) and skippable are optional.
 * A skipped head is listed with {@code method: skip} (not computed, output zero); {@code skippable} is
 * only the calibration's hint, so files written before heads were skipped still run every head (a
 * Lacuna older than the skip method refuses such a file, naming the entry and the unknown method).
 */
public final class PlanFile {
    public static final String FORMAT = "lacuna-attention-plan/1";
    /** What every version of the format starts with. */
    static final String FORMAT_FAMILY = "lacuna-attention-plan/";

    private PlanFile() {}

    /** Writes atomically: a temporary sibling file, then a rename. */
    public static void write(SparsePlan plan, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot write the plan (" + IoProblem.describe(e) + ")");
        }
        AtomicOutput.writeBytes(file, toYaml(plan).getBytes(StandardCharsets.UTF_8));
    }

    public static SparsePlan read(Path file) {
        PathChecks.requireRegularFile(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new LacunaException(file + ": no such file");
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot read (" + IoProblem.describe(e) + ")");
        }
        return fromYaml(text, file.toString());
    }

    public static String toYaml(SparsePlan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("lacuna_version", Version.get());
        root.put("model", plan.model());
        if (plan.identity() != null) {
            Map<String, Object> id = new LinkedHashMap<>();
            id.put("config", plan.identity().config());
            id.put("weights", plan.identity().weights());
            root.put("model_identity", id);
        }
        root.put("layers", plan.layers());
        root.put("heads", plan.heads());
        root.put("provenance", new LinkedHashMap<>(plan.provenance()));
        List<Object> list = new ArrayList<>();
        for (SparsePlan.Entry e : plan.entries()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", e.layer());
            m.put("head", e.head());
            m.put("method", e.method().name());
            Map<String, String> defaults = MethodSpec.defaults(e.method().name());
            Map<String, String> params = new LinkedHashMap<>();
            e.method().params().forEach((k, v) -> {
                if (!v.equals(defaults.get(k))) params.put(k, v);
            });
            m.put("params", params);
            if (!Double.isNaN(e.recall())) m.put("recall", round(e.recall()));
            if (!Double.isNaN(e.cost())) m.put("cost", round(e.cost()));
            if (!Double.isNaN(e.sensitivity())) m.put("sensitivity", round(e.sensitivity()));
            if (!e.shape().isEmpty()) m.put("pattern", e.shape());
            m.put("skippable", e.skippable());
            list.add(m);
        }
        root.put("plan", list);
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(120);
        return new Yaml(o).dump(root);
    }

    /** Rounded to 6 significant digits so that files stay readable; round trips compare equal after one write. */
    private static double round(double x) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", x));
    }

    public static SparsePlan fromYaml(String text, String where) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new LacunaException(where + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")");
        } catch (RuntimeException e) { // SnakeYAML's own failures on odd tags: "!%A" (IllegalArgumentException), "!!null" on a mapping (ClassCastException); found by fuzzing
            throw new LacunaException(where + ": not valid YAML (a tag or node it cannot construct: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
        }
        if (!(doc instanceof Map<?, ?> root)) throw new LacunaException(where + ": expected a mapping at the top");
        Object fmt = root.get("format");
        if (fmt instanceof String f && f.startsWith(FORMAT_FAMILY) && !FORMAT.equals(f)) {
            Object by = root.get("lacuna_version");
            throw new LacunaException(where + ": attention plan format " + f + (by == null ? "" : ", written by Lacuna " + by)
                    + "; this Lacuna (" + Version.get() + ") reads " + FORMAT + " (use the Lacuna that wrote it, or calibrate again)");
        }
        if (!FORMAT.equals(fmt)) throw new LacunaException(where + ": format must be " + FORMAT + ", got " + fmt);
        String model = string(root, "model", where);
        ModelIdentity identity = null;
        Object id = root.get("model_identity");
        if (id != null) {
            if (!(id instanceof Map<?, ?> im)) throw new LacunaException(where + ": model_identity must be a mapping with config and weights");
            identity = new ModelIdentity(model, string(im, "config", where + ": model_identity"), string(im, "weights", where + ": model_identity"));
        }
        int layers = integer(root, "layers", where);
        int heads = integer(root, "heads", where);
        Map<String, String> prov = new LinkedHashMap<>();
        if (root.get("provenance") instanceof Map<?, ?> p) p.forEach((k, v) -> prov.put(String.valueOf(k), String.valueOf(v)));
        List<SparsePlan.Entry> entries = new ArrayList<>();
        Object plan = root.get("plan");
        if (plan != null && !(plan instanceof List<?>)) throw new LacunaException(where + ": plan must be a list");
        int i = 0;
        for (Object o : plan == null ? List.of() : (List<?>) plan) {
            String at = where + ": plan entry " + i++;
            if (!(o instanceof Map<?, ?> m)) throw new LacunaException(at + " is not a mapping");
            int layer = integer(m, "layer", at), head = integer(m, "head", at);
            String method = string(m, "method", at);
            Map<String, String> params = new LinkedHashMap<>();
            Object pp = m.get("params");
            if (pp instanceof Map<?, ?> pm) pm.forEach((k, v) -> params.put(String.valueOf(k), String.valueOf(v)));
            else if (pp != null) throw new LacunaException(at + ": params must be a mapping");
            MethodSpec spec;
            try {
                spec = MethodSpec.parse(method, params);
            } catch (LacunaException e) {
                throw new LacunaException(at + " (layer " + layer + ", head " + head + "): " + e.getMessage());
            }
            entries.add(new SparsePlan.Entry(layer, head, spec, number(m, "recall"), number(m, "cost"), number(m, "sensitivity"),
                    m.get("pattern") == null ? "" : String.valueOf(m.get("pattern")), Boolean.TRUE.equals(m.get("skippable"))));
        }
        try {
            return new SparsePlan(model, identity, layers, heads, entries, prov);
        } catch (LacunaException e) {
            throw new LacunaException(where + ": " + e.getMessage());
        }
    }

    private static String string(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) throw new LacunaException(where + ": missing " + key);
        return String.valueOf(v);
    }

    private static int integer(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof Integer x)) throw new LacunaException(where + ": " + key + " must be an integer, got " + v);
        return x;
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number x ? x.doubleValue() : Double.NaN;
    }
}
