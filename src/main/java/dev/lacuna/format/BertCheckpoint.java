package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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

    /**
     * Checks that every expected tensor is present with the shape the configuration implies.
     * Extra tensors (pooler, heads) are allowed.
     *
     * @return this checkpoint
     * @throws LacunaException naming the first missing or mis-shaped tensor
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
        return this;
    }
}
