// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of a BERT-family encoder under Hugging Face parameter names (without the {@code bert.}
 * prefix) in PyTorch layouts: linear weights are {@code [out, in]}.
 *
 * @param config  hyper-parameters
 * @param tensors parameters by name; see {@link #expectedShapes(BertConfig)}
 */
public record BertCheckpoint(BertConfig config, Map<String, FloatTensor> tensors) {
    public BertCheckpoint {
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    }

    /** The tensor of that name, failing with a clear message if absent. */
    public FloatTensor tensor(String name) {
        FloatTensor t = tensors.get(name);
        if (t == null) throw new LacunaException("checkpoint: missing tensor " + name);
        return t;
    }

    /** The names and shapes every BERT checkpoint of this configuration must have, in model order. */
    public static Map<String, int[]> expectedShapes(BertConfig c) {
        int h = c.hiddenSize();
        int f = c.intermediateSize();
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("embeddings.word_embeddings.weight", new int[] {c.vocabSize(), h});
        m.put("embeddings.position_embeddings.weight", new int[] {c.maxPositionEmbeddings(), h});
        m.put("embeddings.token_type_embeddings.weight", new int[] {c.typeVocabSize(), h});
        m.put("embeddings.LayerNorm.weight", new int[] {h});
        m.put("embeddings.LayerNorm.bias", new int[] {h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            for (String proj : new String[] {"query", "key", "value"}) {
                m.put(p + "attention.self." + proj + ".weight", new int[] {h, h});
                m.put(p + "attention.self." + proj + ".bias", new int[] {h});
            }
            m.put(p + "attention.output.dense.weight", new int[] {h, h});
            m.put(p + "attention.output.dense.bias", new int[] {h});
            m.put(p + "attention.output.LayerNorm.weight", new int[] {h});
            m.put(p + "attention.output.LayerNorm.bias", new int[] {h});
            m.put(p + "intermediate.dense.weight", new int[] {f, h});
            m.put(p + "intermediate.dense.bias", new int[] {f});
            m.put(p + "output.dense.weight", new int[] {h, f});
            m.put(p + "output.dense.bias", new int[] {h});
            m.put(p + "output.LayerNorm.weight", new int[] {h});
            m.put(p + "output.LayerNorm.bias", new int[] {h});
        }
        return m;
    }

    /** Buffers some exporters store beside the embeddings; they are not parameters. */
    private static final Set<String> BUFFERS = Set.of("embeddings.position_ids", "embeddings.token_type_ids");
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    /**
     * The names among {@code names} that belong to the encoder (embeddings, layers; with or without
     * {@code bert.}, LayerNorm gamma/beta) but that {@code c} does not account for, in the given order.
     * Pooler and task heads are not the encoder's and are never listed.
     */
    public static List<String> unaccounted(BertConfig c, Collection<String> names) {
        Set<String> expected = expectedShapes(c).keySet();
        List<String> out = new ArrayList<>();
        for (String name : names) {
            String n = canonical(name);
            if (!n.startsWith("embeddings.") && !n.startsWith("encoder.")) continue;
            if (!expected.contains(n) && !BUFFERS.contains(n)) out.add(name);
        }
        return out;
    }

    /**
     * A one-line error for tensors {@code c} does not account for (e.g. a config with fewer layers
     * than the weights), or null when there are none; {@code configName} names the config in it.
     */
    public static String unaccountedMessage(BertConfig c, Collection<String> names, String configName) {
        List<String> extra = unaccounted(c, names);
        if (extra.isEmpty()) return null;
        int layers = c.numHiddenLayers();
        for (String n : extra) {
            Matcher m = LAYER.matcher(canonical(n));
            if (m.find()) layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
        }
        String hint = layers > c.numHiddenLayers()
                ? " (the weights have " + layers + " layers, num_hidden_layers is " + c.numHiddenLayers() + ")" : "";
        return extra.size() + " tensor" + (extra.size() == 1 ? "" : "s") + " not accounted for by " + configName + hint + ": "
                + String.join(", ", extra.subList(0, Math.min(3, extra.size()))) + (extra.size() > 3 ? ", ..." : "");
    }

    /** A stored name under Hugging Face's current naming: no {@code bert.} prefix, LayerNorm weight/bias. */
    static String canonical(String name) {
        String n = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
        if (n.contains("LayerNorm.")) {
            if (n.endsWith(".gamma")) n = n.substring(0, n.length() - "gamma".length()) + "weight";
            else if (n.endsWith(".beta")) n = n.substring(0, n.length() - "beta".length()) + "bias";
        }
        return n;
    }

    /**
     * Checks that every expected tensor is present with the shape the configuration implies, and that
     * no encoder tensor is left over. Extra tensors outside the encoder (pooler, heads) are allowed.
     *
     * @return this checkpoint
     * @throws LacunaException naming the first missing or mis-shaped tensor, or the left-over ones
     */
    public BertCheckpoint validate() {
        return validate("checkpoint");
    }

    /** As {@link #validate()}, with {@code source} (a file or directory) prefixed to messages. */
    public BertCheckpoint validate(String source) {
        for (Map.Entry<String, int[]> e : expectedShapes(config).entrySet()) {
            FloatTensor t = tensors.get(e.getKey());
            if (t == null) throw new LacunaException(source + ": missing tensor " + e.getKey()
                    + " (expected shape " + Arrays.toString(e.getValue()) + ")");
            if (!Arrays.equals(t.shape(), e.getValue())) {
                throw new LacunaException(source + ": tensor " + e.getKey() + " has shape " + t.shapeString()
                        + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        String extra = unaccountedMessage(config, tensors.keySet(), "the config");
        if (extra != null) throw new LacunaException(source + ": " + extra);
        return this;
    }
}
