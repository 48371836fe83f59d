// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.format.BertCheckpoint;
import dev.lacuna.format.BertOnnxImporter;
import dev.lacuna.format.HfBertLoader;
import dev.lacuna.format.OnnxModel;
import dev.lacuna.io.IoProblem;
import dev.lacuna.io.PathChecks;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tokenizer.Tokenizer;
import dev.lacuna.tokenizer.WordPieceTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
/**
 * Resolves a {@code --model} value to a runnable model: {@code default} (all-MiniLM-L6-v2 from the
 * Maven artifact), {@code bge-small-q}, a {@code .onnx} file, or a directory with {@code config.json}
 * + {@code model.safetensors} (Hugging Face or Lacuna). Nothing is fetched from a network.
 */
public final class ModelLoader {
    /** An embedded model: resources on the class path, with how sentence-transformers runs it. */
    private record Embedded(String onnx, String tokenizer, int maxLength, Pooling pooling, String int8) {}

    private static final Map<String, Embedded> EMBEDDED = Map.of(
            // sentence-transformers/all-MiniLM-L6-v2: max_seq_length 256, mean pooling
            "default", new Embedded("all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json", 256, Pooling.MEAN, "all-minilm-l6-v2-q.onnx"),
            // BAAI/bge-small-en-v1.5 (dynamic int8): max 512, CLS pooling
            "bge-small-q", new Embedded("bge-small-en-v1.5-q.onnx", "bge-small-en-v1.5-q-tokenizer.json", 512, Pooling.CLS, "bge-small-en-v1.5-q.onnx"));

    private ModelLoader() {}

    public static LoadedModel load(String spec) {
        if (spec == null || spec.isBlank()) throw new LacunaException("--model is empty");
        Embedded e = EMBEDDED.get(spec);
        if (e != null) return loadEmbedded(spec, e);
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) return loadDirectory(spec, p);
        if (Files.isRegularFile(p)) {
            if (spec.endsWith(".onnx")) return loadOnnxFile(spec, p);
            throw new LacunaException(spec + ": not a model (expected a .onnx file or a directory with config.json + model.safetensors)");
        }
        PathChecks.requireRegularFile(p);
        throw new LacunaException("--model " + spec + ": no such file or directory, and not an embedded model (default, bge-small-q)");
    }

    private static LoadedModel loadEmbedded(String name, Embedded e) {
        byte[] onnx = resource(e.onnx());
        BertCheckpoint ck = BertOnnxImporter.importModel(OnnxModel.parse(onnx, e.onnx()));
        Tokenizer tok;
        try (InputStream in = stream(e.tokenizer())) {
            tok = WordPieceTokenizer.fromJson(in, Math.min(e.maxLength(), ck.config().maxPositionEmbeddings()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        Map<String, Supplier<byte[]>> peers = new LinkedHashMap<>();
        peers.put("onnxruntime", () -> resource(e.onnx()));   // re-read: keeping 90 MB alive for a peer few use is waste
        peers.put("onnxruntime-int8", () -> resource(e.int8()));
        BertModel m = BertModel.fromTensors(ck.config(), ck.tensors());
        return new LoadedModel(name, new SentenceEncoder(name, tok, m, e.pooling()), "embedded " + e.onnx(), peers,
                () -> resource(e.tokenizer()));
    }

    private static LoadedModel loadOnnxFile(String name, Path file) {
        OnnxModel onnx = OnnxModel.load(file);
        BertCheckpoint ck = BertOnnxImporter.importModel(onnx);
        Path dir = file.toAbsolutePath().getParent();
        String stem = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path tj = firstExisting(dir.resolve("tokenizer.json"), dir.resolve(stem + "-tokenizer.json"));
        if (tj == null) throw new LacunaException(file + ": no tokenizer.json beside it (looked for tokenizer.json and " + stem + "-tokenizer.json)");
        SentenceSettings st = SentenceSettings.read(dir, ck.config().maxPositionEmbeddings()).with(onnx.metadata(), file, ck.config().maxPositionEmbeddings());
        Tokenizer tok = WordPieceTokenizer.fromJson(tj, st.maxLength());
        Map<String, Supplier<byte[]>> peers = new LinkedHashMap<>();
        peers.put("onnxruntime", () -> readAll(file));
        BertModel m = BertModel.fromTensors(ck.config(), ck.tensors());
        return new LoadedModel(name, new SentenceEncoder(name, tok, m, st.pooling()), file.toString(), peers, () -> readAll(tj));
    }

    private static LoadedModel loadDirectory(String name, Path dir) {
        if (!Files.isRegularFile(dir.resolve("config.json"))) throw new LacunaException(dir + ": no config.json");
        boolean lacuna = ModelDirectory.isLacuna(dir);
        BertModel m;
        if (lacuna) {
            m = ModelDirectory.load(dir);
        } else {
            BertCheckpoint ck = HfBertLoader.load(dir);
            m = BertModel.fromTensors(ck.config(), ck.tensors());
        }
        Path tj = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tj)) throw new LacunaException(dir + ": no tokenizer.json");
        SentenceSettings st = SentenceSettings.read(dir, m.config().maxPositionEmbeddings());
        Tokenizer tok = WordPieceTokenizer.fromJson(tj, st.maxLength());
        Map<String, Supplier<byte[]>> peers = new LinkedHashMap<>();
        Path onnx = dir.resolve("model.onnx");
        if (Files.isRegularFile(onnx)) peers.put("onnxruntime", () -> readAll(onnx));
        addBasePeers(dir, peers);
        return new LoadedModel(name, new SentenceEncoder(name, tok, m, st.pooling()), (lacuna ? "lacuna model " : "") + dir, peers,
                () -> readAll(tj));
    }

    /** A Lacuna model derived from an embedded one can still be compared with ONNX Runtime on its base. */
    private static void addBasePeers(Path dir, Map<String, Supplier<byte[]>> peers) {
        try {
            Path lj = dir.resolve("lacuna.json");
            if (!Files.isRegularFile(lj)) return;
            String base = new ObjectMapper().readTree(lj.toFile()).path("base_model").asText("");
            Embedded e = EMBEDDED.get(base);
            if (e == null) return;
            peers.putIfAbsent("onnxruntime", () -> resource(e.onnx()));
            peers.putIfAbsent("onnxruntime-int8", () -> resource(e.int8()));
        } catch (IOException ex) {
            throw new LacunaException(dir + ": cannot read lacuna.json (" + IoProblem.describe(ex) + ")");
        }
    }

    /** Pooling and maximum length as sentence-transformers stores them beside a model. */
    record SentenceSettings(Pooling pooling, int maxLength) {
        static SentenceSettings read(Path dir, int positions) {
            Pooling pooling = Pooling.MEAN;
            int max = Math.min(512, positions);
            ObjectMapper om = new ObjectMapper();
            try {
                Path pool = dir.resolve("1_Pooling").resolve("config.json");
                if (Files.isRegularFile(pool)) {
                    JsonNode n = om.readTree(pool.toFile());
                    if (n.path("pooling_mode_cls_token").asBoolean(false)) pooling = Pooling.CLS;
                }
                Path sb = dir.resolve("sentence_bert_config.json");
                if (Files.isRegularFile(sb)) {
                    JsonNode n = om.readTree(sb.toFile());
                    if (n.has("max_seq_length")) max = Math.min(positions, n.get("max_seq_length").asInt(max));
                }
                Path lc = dir.resolve("lacuna.json");
                if (Files.isRegularFile(lc)) {
                    JsonNode n = om.readTree(lc.toFile());
                    if (n.has("pooling")) pooling = Pooling.parse(n.get("pooling").asText());
                    if (n.has("max_length")) max = Math.min(positions, n.get("max_length").asInt(max));
                }
            } catch (IOException e) {
                throw new LacunaException(dir + ": cannot read sentence-transformers settings (" + IoProblem.describe(e) + ")");
            }
            if (max < 2) throw new LacunaException(dir + ": max length " + max + " is too small");
            return new SentenceSettings(pooling, max);
        }

        /** These settings overridden by an ONNX file's own metadata ({@code lacuna export onnx} writes lacuna.pooling and lacuna.max_length). */
        SentenceSettings with(Map<String, String> meta, Path file, int positions) {
            Pooling p = pooling;
            int max = maxLength;
            try {
                if (meta.containsKey("lacuna.pooling")) p = Pooling.parse(meta.get("lacuna.pooling"));
                if (meta.containsKey("lacuna.max_length")) max = Math.min(positions, Integer.parseInt(meta.get("lacuna.max_length")));
            } catch (RuntimeException e) {
                throw new LacunaException(file + ": bad metadata lacuna.pooling / lacuna.max_length (" + e.getMessage() + ")");
            }
            if (max < 2) throw new LacunaException(file + ": max length " + max + " is too small");
            return new SentenceSettings(p, max);
        }
    }

    private static Path firstExisting(Path... ps) {
        for (Path p : ps) if (Files.isRegularFile(p)) return p;
        return null;
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new LacunaException(p + ": cannot read (" + IoProblem.describe(e) + ")");
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = ModelLoader.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new LacunaException("embedded resource " + resource + " is not on the class path (is the model jar missing?)");
        return in;
    }

    /** Bytes of an embedded resource. */
    public static byte[] resource(String resource) {
        try (InputStream in = stream(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LacunaException("cannot read embedded resource " + resource + ": " + e.getMessage());
        }
    }
}
