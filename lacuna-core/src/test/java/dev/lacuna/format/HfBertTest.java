// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class HfBertTest {
    static {
        TestModels.ensureTmpDir();
    }

    static final BertConfig TINY = new BertConfig(20, 8, 2, 2, 16, 10, 2, 1e-12, "gelu");

    @TempDir
    Path dir;

    static BertCheckpoint random(BertConfig c, long seed) {
        Random r = new Random(seed);
        Map<String, FloatTensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : BertCheckpoint.expectedShapes(c).entrySet()) {
            int n = 1;
            for (int d : e.getValue()) n *= d;
            float[] f = new float[n];
            for (int i = 0; i < n; i++) f[i] = (float) r.nextGaussian();
            m.put(e.getKey(), new FloatTensor(e.getValue(), f));
        }
        return new BertCheckpoint(c, m);
    }

    @Test
    void miniLmRoundTripsThroughAHuggingFaceDirectory() throws IOException {
        BertCheckpoint ck = TestModels.imported(TestModels.MINILM);
        Path out = dir.resolve("minilm");
        long t0 = System.nanoTime();
        HfBertWriter.write(ck, out);
        long t1 = System.nanoTime();
        BertCheckpoint back = HfBertLoader.load(out);
        long t2 = System.nanoTime();
        System.out.printf("MiniLM as safetensors: write %.0f ms, load %.0f ms, %d bytes%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                Files.size(out.resolve("model.safetensors")));
        assertEquals(ck.config(), back.config());
        assertEquals(ck.tensors(), back.tensors()); // FloatTensor equality is exact
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("bert", cfg.get("model_type").asText());
        assertEquals(384, cfg.get("hidden_size").asInt());
        assertEquals(1e-12, cfg.get("layer_norm_eps").asDouble());
        assertEquals("gelu", cfg.get("hidden_act").asText());
        try (SafetensorsFile sf = Safetensors.open(out.resolve("model.safetensors"))) {
            assertEquals("pt", sf.metadata().get("format"));
            assertTrue(sf.tensors().keySet().stream().noneMatch(n -> n.startsWith("bert.")));
        }
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("config.json", "model.safetensors"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        // writing again over an existing directory replaces the files
        HfBertWriter.write(ck, out);
        assertEquals(ck.tensors(), HfBertLoader.load(out).tensors());
    }

    @Test
    void loadsTransformersStyleNamesAndIgnoresHeads() throws IOException {
        BertCheckpoint ck = random(TINY, 1);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, FloatTensor> e : ck.tensors().entrySet()) {
            String name = "bert." + e.getKey();
            if (e.getKey().equals("encoder.layer.1.output.LayerNorm.weight")) name = "bert.encoder.layer.1.output.LayerNorm.gamma";
            entries.put(name, TensorEntry.of(name, e.getValue()));
        }
        entries.put("bert.pooler.dense.weight", TensorEntry.of("p", new FloatTensor(new int[] {8, 8}, new float[64])));
        entries.put("cls.predictions.bias", TensorEntry.of("c", new FloatTensor(new int[] {20}, new float[20])));
        entries.put("bert.embeddings.position_ids", TensorEntry.ofLongs("ids", new long[] {1, 10}, new long[10]));
        Path d = Files.createDirectory(dir.resolve("hf"));
        Safetensors.write(d.resolve("model.safetensors"), entries, Map.of("format", "pt"));
        Files.writeString(d.resolve("config.json"), """
                {"architectures": ["BertForMaskedLM"], "model_type": "bert", "vocab_size": 20, "hidden_size": 8,
                 "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 16,
                 "max_position_embeddings": 10, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu",
                 "hidden_dropout_prob": 0.1, "pad_token_id": 0}
                """);
        BertCheckpoint back = HfBertLoader.load(d);
        assertEquals(TINY, back.config());
        assertEquals(ck.tensors(), back.tensors());
    }

    @Test
    void halfPrecisionWeightsAreConverted() throws IOException {
        BertCheckpoint ck = random(TINY, 2);
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, FloatTensor> expected = new LinkedHashMap<>();
        for (Map.Entry<String, FloatTensor> e : ck.tensors().entrySet()) {
            float[] f = e.getValue().data();
            ByteBuffer b = ByteBuffer.allocate(f.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            float[] rounded = new float[f.length];
            for (int i = 0; i < f.length; i++) {
                short h = Float.floatToFloat16(f[i]);
                b.putShort(h);
                rounded[i] = Float.float16ToFloat(h);
            }
            long[] shape = java.util.Arrays.stream(e.getValue().shape()).asLongStream().toArray();
            entries.put(e.getKey(), TensorEntry.ofBytes(e.getKey(), Safetensors.Dtype.F16, shape, b.array()));
            expected.put(e.getKey(), new FloatTensor(e.getValue().shape(), rounded));
        }
        Path d = Files.createDirectory(dir.resolve("f16"));
        Safetensors.write(d.resolve("model.safetensors"), entries, null);
        Files.writeString(d.resolve("config.json"), HfBertWriter.configJson(TINY));
        assertEquals(expected, HfBertLoader.load(d).tensors());
    }

    @Test
    void shardedCheckpointsAreJoined() throws IOException {
        BertCheckpoint ck = random(TINY, 3);
        Map<String, FloatTensor> a = new LinkedHashMap<>(), b = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        for (Map.Entry<String, FloatTensor> e : ck.tensors().entrySet()) {
            boolean first = e.getKey().startsWith("embeddings") || e.getKey().startsWith("encoder.layer.0");
            (first ? a : b).put(e.getKey(), e.getValue());
            map.append(map.isEmpty() ? "" : ",").append('"').append(e.getKey()).append("\":\"")
                    .append(first ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors").append('"');
        }
        Path d = Files.createDirectory(dir.resolve("sharded"));
        Safetensors.writeFloats(d.resolve("model-00001-of-00002.safetensors"), a, null);
        Safetensors.writeFloats(d.resolve("model-00002-of-00002.safetensors"), b, null);
        Files.writeString(d.resolve("model.safetensors.index.json"), "{\"metadata\":{},\"weight_map\":{" + map + "}}");
        Files.writeString(d.resolve("config.json"), HfBertWriter.configJson(TINY));
        assertEquals(ck.tensors(), HfBertLoader.load(d).tensors());
    }

    @Test
    void directoryProblemsAreClearErrors() throws IOException {
        expect(dir.resolve("absent"), "no such directory");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        expect(file, "not a directory");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        expect(empty, empty + ": no config.json");
        Path noWeights = Files.createDirectory(dir.resolve("noweights"));
        Files.writeString(noWeights.resolve("config.json"), HfBertWriter.configJson(TINY));
        expect(noWeights, noWeights + ": no model.safetensors");
        Files.writeString(noWeights.resolve("pytorch_model.bin"), "pickle");
        expect(noWeights, "only pytorch_model.bin, which is not supported");
    }

    @Test
    void configProblemsNameTheFileAndField() throws IOException {
        Path d = Files.createDirectory(dir.resolve("cfg"));
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, "{\"hidden_size\": 8,");
        expect(d, cfg + ": invalid JSON");
        Files.writeString(cfg, "{\"vocab_size\": 20, \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"intermediate_size\": 16}");
        expect(d, cfg + ": missing hidden_size");
        Files.writeString(cfg, HfBertWriter.configJson(TINY).replace("\"hidden_size\" : 8", "\"hidden_size\" : \"eight\""));
        expect(d, cfg + ": hidden_size must be an integer");
        Files.writeString(cfg, HfBertWriter.configJson(TINY).replace("\"gelu\"", "\"swish\""));
        expect(d, cfg + ": unsupported hidden_act 'swish'");
        Files.writeString(cfg, HfBertWriter.configJson(TINY).replace("\"num_attention_heads\" : 2", "\"num_attention_heads\" : 3"));
        expect(d, cfg + ": hidden_size 8 is not divisible by num_attention_heads 3");
        Files.writeString(cfg, HfBertWriter.configJson(TINY).replace("\"bert\"", "\"roberta\""));
        expect(d, cfg + ": model_type 'roberta' is not supported");
        // defaults as in transformers' BertConfig
        Files.writeString(cfg, "{\"vocab_size\": 20, \"hidden_size\": 8, \"num_hidden_layers\": 2, \"num_attention_heads\": 2, \"intermediate_size\": 16}");
        assertEquals(new BertConfig(20, 8, 2, 2, 16, 512, 2, 1e-12, "gelu"), HfBertLoader.readConfig(cfg));
    }

    @Test
    void wrongOrMissingTensorsAreNamed() throws IOException {
        BertCheckpoint ck = random(TINY, 4);
        Path d = dir.resolve("shapes");
        HfBertWriter.write(ck, d);
        Map<String, FloatTensor> bad = new LinkedHashMap<>(ck.tensors());
        bad.put("encoder.layer.1.attention.self.key.weight", new FloatTensor(new int[] {8, 7}, new float[56]));
        Safetensors.writeFloats(d.resolve("model.safetensors"), bad, null);
        LacunaException e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertEquals(d.resolve("model.safetensors") + ": tensor encoder.layer.1.attention.self.key.weight has shape [8, 7], expected [8, 8] for "
                + d.resolve("config.json"), e.getMessage());

        bad.remove("encoder.layer.1.attention.self.key.weight");
        Safetensors.writeFloats(d.resolve("model.safetensors"), bad, null);
        e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertEquals(d.resolve("model.safetensors") + ": missing tensor encoder.layer.1.attention.self.key.weight (expected shape [8, 8])",
                e.getMessage());

        Map<String, TensorEntry> ints = new LinkedHashMap<>();
        for (Map.Entry<String, FloatTensor> x : ck.tensors().entrySet()) ints.put(x.getKey(), TensorEntry.of(x.getKey(), x.getValue()));
        ints.put("embeddings.LayerNorm.bias", TensorEntry.ofInts("b", new long[] {8}, new int[8]));
        Safetensors.write(d.resolve("model.safetensors"), ints, null);
        e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertTrue(e.getMessage().contains("tensor embeddings.LayerNorm.bias has dtype I32, expected a floating-point dtype"), e.getMessage());

        Files.write(d.resolve("model.safetensors"), new byte[] {1, 2, 3});
        e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertTrue(e.getMessage().startsWith(d.resolve("model.safetensors") + ": truncated"), e.getMessage());
    }

    @Test
    void configWithFewerLayersThanTheWeightsIsAnError() throws IOException {
        // issue 16, finding 3: num_hidden_layers 1 on 2-layer weights ran one layer silently
        Path d = dir.resolve("fewer");
        HfBertWriter.write(random(TINY, 6), d);
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, HfBertWriter.configJson(TINY).replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 1"));
        LacunaException e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertEquals(d.resolve("model.safetensors") + ": 16 tensors not accounted for by " + cfg
                + " (the weights have 2 layers, num_hidden_layers is 1): encoder.layer.1.attention.output.LayerNorm.bias, "
                + "encoder.layer.1.attention.output.LayerNorm.weight, encoder.layer.1.attention.output.dense.bias, ...", e.getMessage());

        // a stray encoder tensor is named too, and so is one in the checkpoint itself
        Map<String, FloatTensor> m = new LinkedHashMap<>(random(TINY, 7).tensors());
        m.put("bert.encoder.layer.0.attention.self.extra.weight", new FloatTensor(new int[] {1}, new float[1]));
        Safetensors.writeFloats(d.resolve("model.safetensors"), m, null);
        Files.writeString(cfg, HfBertWriter.configJson(TINY));
        e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertEquals(d.resolve("model.safetensors") + ": 1 tensor not accounted for by " + cfg
                + ": bert.encoder.layer.0.attention.self.extra.weight", e.getMessage());
        e = assertThrows(LacunaException.class, () -> new BertCheckpoint(TINY, m).validate("x.onnx"));
        assertEquals("x.onnx: 1 tensor not accounted for by the config: bert.encoder.layer.0.attention.self.extra.weight", e.getMessage());
    }

    @Test
    void checkpointValidationNamesTensorExpectedAndActual() {
        BertCheckpoint ck = random(TINY, 5);
        Map<String, FloatTensor> m = new LinkedHashMap<>(ck.tensors());
        m.put("encoder.layer.0.intermediate.dense.weight", new FloatTensor(new int[] {8, 16}, new float[128]));
        LacunaException e = assertThrows(LacunaException.class, () -> new BertCheckpoint(TINY, m).validate());
        assertEquals("checkpoint: tensor encoder.layer.0.intermediate.dense.weight has shape [8, 16], expected [16, 8]", e.getMessage());
        e = assertThrows(LacunaException.class, () -> HfBertWriter.write(new BertCheckpoint(TINY, m), dir.resolve("never")));
        assertTrue(e.getMessage().contains("intermediate.dense.weight"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("never")));
        m.remove("embeddings.LayerNorm.bias");
        e = assertThrows(LacunaException.class, () -> new BertCheckpoint(TINY, m).validate("x.onnx"));
        assertEquals("x.onnx: missing tensor embeddings.LayerNorm.bias (expected shape [8])", e.getMessage());
        assertEquals(5 + 2 * 16, BertCheckpoint.expectedShapes(TINY).size());
    }

    private static void expect(Path d, String fragment) {
        LacunaException e = assertThrows(LacunaException.class, () -> HfBertLoader.load(d));
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }
}
