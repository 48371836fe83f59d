// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lacuna.LacunaException;
import dev.lacuna.model.bert.BertConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a checkpoint as a Hugging Face BERT directory: {@code model.safetensors} (float32, names
 * without the {@code bert.} prefix, {@code __metadata__ = {format: pt}}) and {@code config.json}. Each
 * file is written to a temporary sibling and atomically renamed into place.
 */
public final class HfBertWriter {
    private HfBertWriter() {
    }

    /** Validates the checkpoint and writes it into {@code dir} (created if missing). */
    public static void write(BertCheckpoint checkpoint, Path dir) {
        checkpoint.validate();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LacunaException(dir + ": cannot create directory: " + e.getMessage(), e);
        }
        Safetensors.writeFloats(dir.resolve("model.safetensors"), checkpoint.tensors(), Map.of("format", "pt"));
        Safetensors.Atomic.writeString(dir.resolve("config.json"), configJson(checkpoint.config()));
    }

    /** The {@code config.json} text of a configuration, as Hugging Face writes it for BertModel. */
    public static String configJson(BertConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("BertModel"));
        m.put("model_type", "bert");
        m.put("vocab_size", c.vocabSize());
        m.put("hidden_size", c.hiddenSize());
        m.put("num_hidden_layers", c.numHiddenLayers());
        m.put("num_attention_heads", c.numAttentionHeads());
        m.put("intermediate_size", c.intermediateSize());
        m.put("hidden_act", c.hiddenAct());
        m.put("max_position_embeddings", c.maxPositionEmbeddings());
        m.put("type_vocab_size", c.typeVocabSize());
        m.put("layer_norm_eps", c.layerNormEps());
        m.put("position_embedding_type", "absolute");
        m.put("torch_dtype", "float32");
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
