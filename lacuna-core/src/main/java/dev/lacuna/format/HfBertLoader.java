// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.io.IoProblem;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a Hugging Face BERT directory: {@code config.json} plus {@code model.safetensors} (or shards
 * listed in {@code model.safetensors.index.json}). Parameter names may carry a {@code bert.} prefix;
 * pooler and task heads are ignored; F32, F16, BF16 and F64 weights are converted to float32.
 */
public final class HfBertLoader {
    private HfBertLoader() {
    }

    /** Loads and validates a checkpoint directory. */
    public static BertCheckpoint load(Path dir) {
        if (!Files.exists(dir)) throw new LacunaException(dir + ": no such directory");
        if (!Files.isDirectory(dir)) throw new LacunaException(dir + ": not a directory (expected a directory with config.json and model.safetensors)");
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new LacunaException(dir + ": no config.json");
        BertConfig config = readConfig(configFile);

        Map<String, Path> shardOf = new LinkedHashMap<>(); // tensor name -> file, for sharded checkpoints
        List<Path> files = new ArrayList<>();
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(single)) {
            files.add(single);
        } else if (Files.isRegularFile(index)) {
            JsonNode root = readJson(index);
            JsonNode map = root.get("weight_map");
            if (map == null || !map.isObject()) throw new LacunaException(index + ": no weight_map object");
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String fileName = e.getValue().asText();
                Path shard = dir.resolve(fileName).normalize();
                if (!shard.startsWith(dir.normalize()) || fileName.isEmpty()) {
                    throw new LacunaException(index + ": shard '" + fileName + "' is outside the directory");
                }
                shardOf.put(e.getKey(), shard);
                if (!files.contains(shard)) files.add(shard);
            }
        } else {
            String hint = Files.exists(dir.resolve("pytorch_model.bin"))
                    ? " (only pytorch_model.bin, which is not supported: convert it to safetensors)" : "";
            throw new LacunaException(dir + ": no model.safetensors" + hint);
        }

        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        List<SafetensorsFile> open = new ArrayList<>();
        try {
            Map<Path, SafetensorsFile> byPath = new LinkedHashMap<>();
            for (Path f : files) {
                SafetensorsFile sf = SafetensorsFile.open(f);
                open.add(sf);
                byPath.put(f, sf);
            }
            String where = files.size() == 1 ? files.getFirst().toString() : dir.toString();
            for (Map.Entry<String, int[]> e : BertCheckpoint.expectedShapes(config).entrySet()) {
                String name = e.getKey();
                TensorEntry entry = null;
                for (String candidate : candidates(name)) {
                    if (!shardOf.isEmpty()) {
                        Path shard = shardOf.get(candidate);
                        if (shard != null) entry = byPath.get(shard).get(candidate);
                        if (entry == null && shard != null) {
                            throw new LacunaException(shard + ": tensor " + candidate + " listed in the index is missing");
                        }
                    } else {
                        entry = byPath.get(files.getFirst()).get(candidate);
                    }
                    if (entry != null) break;
                }
                if (entry == null) {
                    throw new LacunaException(where + ": missing tensor " + name + " (expected shape " + Arrays.toString(e.getValue()) + ")");
                }
                long[] expected = Arrays.stream(e.getValue()).asLongStream().toArray();
                if (!Arrays.equals(entry.shape(), expected)) {
                    throw new LacunaException(where + ": tensor " + entry.name() + " has shape " + Arrays.toString(entry.shape())
                            + ", expected " + Arrays.toString(e.getValue()) + " for " + configFile);
                }
                switch (entry.dtype()) {
                    case F32, F16, BF16, F64 -> tensors.put(name, entry.toFloatTensor());
                    default -> throw new LacunaException(where + ": tensor " + entry.name() + " has dtype " + entry.dtype()
                            + ", expected a floating-point dtype");
                }
            }
            // a config with fewer layers than the weights would otherwise run a truncated model
            List<String> stored = new ArrayList<>(shardOf.keySet());
            for (SafetensorsFile sf : open) for (String n : sf.tensors().keySet()) if (!shardOf.containsKey(n)) stored.add(n);
            String extra = BertCheckpoint.unaccountedMessage(config, stored, configFile.toString());
            if (extra != null) throw new LacunaException(where + ": " + extra);
        } finally {
            for (SafetensorsFile sf : open) sf.close();
        }
        return new BertCheckpoint(config, tensors).validate(dir.toString());
    }

    /** The names a parameter may be stored under: with or without {@code bert.}, LayerNorm gamma/beta. */
    private static List<String> candidates(String name) {
        List<String> c = new ArrayList<>(4);
        c.add(name);
        c.add("bert." + name);
        if (name.contains("LayerNorm.")) {
            String legacy = name.endsWith(".weight") ? name.substring(0, name.length() - 6) + "gamma"
                    : name.substring(0, name.length() - 4) + "beta";
            c.add(legacy);
            c.add("bert." + legacy);
        }
        return c;
    }

    /** Reads a Hugging Face BERT {@code config.json}; absent optional fields take Hugging Face's defaults. */
    public static BertConfig readConfig(Path configFile) {
        JsonNode root = readJson(configFile);
        if (!root.isObject()) throw new LacunaException(configFile + ": not a JSON object");
        JsonNode type = root.get("model_type");
        if (type != null && !type.isNull() && !type.asText().equals("bert")) {
            throw new LacunaException(configFile + ": model_type '" + type.asText() + "' is not supported (expected bert)");
        }
        JsonNode pos = root.get("position_embedding_type");
        if (pos != null && !pos.isNull() && !pos.asText().equals("absolute")) {
            throw new LacunaException(configFile + ": position_embedding_type '" + pos.asText() + "' is not supported (expected absolute)");
        }
        int vocab = intField(configFile, root, "vocab_size", null);
        int hidden = intField(configFile, root, "hidden_size", null);
        int layers = intField(configFile, root, "num_hidden_layers", null);
        int heads = intField(configFile, root, "num_attention_heads", null);
        int inter = intField(configFile, root, "intermediate_size", null);
        int maxPos = intField(configFile, root, "max_position_embeddings", 512);
        int types = intField(configFile, root, "type_vocab_size", 2);
        double eps = 1e-12;
        JsonNode e = root.get("layer_norm_eps");
        if (e != null && !e.isNull()) {
            if (!e.isNumber()) throw new LacunaException(configFile + ": layer_norm_eps must be a number, got " + e);
            eps = e.asDouble();
        }
        String act = "gelu";
        JsonNode a = root.get("hidden_act");
        if (a != null && !a.isNull()) {
            if (!a.isTextual()) throw new LacunaException(configFile + ": hidden_act must be a string, got " + a);
            act = switch (a.asText()) {
                case "gelu" -> "gelu";
                case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> "gelu_new";
                case "relu" -> "relu";
                default -> throw new LacunaException(configFile + ": unsupported hidden_act '" + a.asText() + "' (gelu, gelu_new, relu)");
            };
        }
        try {
            return new BertConfig(vocab, hidden, layers, heads, inter, maxPos, types, eps, act);
        } catch (LacunaException ex) {
            throw new LacunaException(configFile + ": " + ex.getMessage().replaceFirst("^config: ", ""), ex);
        }
    }

    private static int intField(Path file, JsonNode root, String field, Integer dflt) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (dflt == null) throw new LacunaException(file + ": missing " + field);
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new LacunaException(file + ": " + field + " must be an integer, got " + v);
        return v.asInt();
    }

    static JsonNode readJson(Path file) {
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readAllBytes(file));
            if (n == null || n.isMissingNode()) throw new LacunaException(file + ": empty JSON file");
            return n;
        } catch (JsonProcessingException e) {
            throw new LacunaException(file + ": invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot read: " + IoProblem.describe(e), e);
        }
    }
}
