// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.format.BertCheckpoint;
import dev.lacuna.format.HfBertLoader;
import dev.lacuna.format.HfBertWriter;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.kernel.Int8Linear;
import dev.lacuna.kernel.Int8Weight;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.BlockCsrLinear;
import dev.lacuna.sparse.CsrInt8Linear;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.sparse.NmLinear;
import dev.lacuna.tensor.FloatTensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
/**
 * A Lacuna model directory: {@code config.json} (Hugging Face BERT), {@code model.safetensors} whose
 * sparse projections are stored in their kernel's format, {@code tokenizer.json}, {@code lacuna.json}
 * (pooling, max length, provenance), and whatever the producer adds (recipe, report).
 *
 * <p>Storage per projection {@code P} (Hugging Face name), by kernel:
 * dense: {@code P.weight} F32 [N, K];
 * csr: {@code P.weight.row_ptr} I32 [N+1], {@code P.weight.col_idx} I32 [nnz], {@code P.weight.values} F32 [nnz];
 * n:m: {@code P.weight.values} F32 [N, K·n/m], {@code P.weight.positions} U8 [N, K·n/m];
 * block: {@code P.weight.block_ptr} I32, {@code P.weight.block_col} I32, {@code P.weight.values} F32 [blocks·R·C];
 * int8: {@code P.weight.int8} I8 [N, K] and {@code P.weight.scale} F32 [N] (W = diag(scale) · int8);
 * csr-int8: {@code P.weight.row_ptr}, {@code P.weight.col_idx} as csr, {@code P.weight.int8} I8 [nnz], {@code P.weight.scale} F32 [N].
 * Biases are {@code P.bias} F32 [N]. The safetensors metadata key {@code lacuna.linears} holds, per
 * projection, its kernel and shape parameters. Save then load gives bit-identical tensors.
 */
public final class ModelDirectory {
    public static final String FORMAT = "lacuna-sparse-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelDirectory() {}

    /** Whether {@code dir} holds a Lacuna model (rather than a plain Hugging Face one). */
    public static boolean isLacuna(Path dir) {
        Path st = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(dir.resolve("lacuna.json")) || !Files.isRegularFile(st)) return false;
        try (SafetensorsFile f = SafetensorsFile.open(st)) {
            String format = f.metadata().get("format");
            return format != null && format.startsWith(FORMAT_FAMILY);
        }
    }

    /** What every version of the format starts with; {@link #FORMAT} is the one this build reads and writes. */
    static final String FORMAT_FAMILY = "lacuna-sparse-v";

    /** A one-line refusal of a model directory of another format version, naming the Lacuna that wrote it. */
    private static LacunaException otherFormat(Path dir, Path st, String format) {
        String writer = "";
        try {
            Path lj = dir.resolve("lacuna.json");
            if (Files.isRegularFile(lj)) {
                String v = JSON.readTree(lj.toFile()).path("lacuna_version").asText("");
                if (!v.isEmpty()) writer = ", written by Lacuna " + v;
            }
        } catch (IOException e) {
            // the refusal stands without the writer's version
        }
        return new LacunaException(st + ": model format " + format + writer + "; this build (Lacuna " + dev.lacuna.Version.get()
                + ") reads " + FORMAT + " (use the Lacuna that wrote it, or sparsify the model again)");
    }

    /**
     * Writes {@code model} into {@code dir} (which must exist and is expected to be a temporary
     * directory that the caller renames into place).
     *
     * @param settings extra fields for lacuna.json (provenance); pooling and max length are added
     */
    public static void write(Path dir, BertModel model, Pooling pooling, int maxLength, byte[] tokenizerJson,
                             Map<String, Object> settings) {
        try {
            Files.writeString(dir.resolve("config.json"), HfBertWriter.configJson(model.config()));
            Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
            ObjectNode lj = JSON.createObjectNode();
            lj.put("format", FORMAT);
            lj.put("pooling", pooling.name().toLowerCase(java.util.Locale.ROOT));
            lj.put("max_length", maxLength);
            settings.forEach((k, v) -> lj.set(k, JSON.valueToTree(v)));
            Files.writeString(dir.resolve("lacuna.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(lj) + "\n");
        } catch (IOException e) {
            throw new LacunaException(dir + ": cannot write (" + e.getMessage() + ")");
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        ObjectNode linears = JSON.createObjectNode();
        Map<String, Linear> ls = model.linears();
        for (Map.Entry<String, FloatTensor> e : model.tensors().entrySet()) {
            String name = e.getKey();
            String proj = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
            Linear l = proj == null ? null : ls.get(proj);
            if (l == null) {
                entries.put(name, TensorEntry.of(name, e.getValue()));
                continue;
            }
            ObjectNode info = linears.putObject(proj);
            info.put("kernel", l.kernel());
            info.put("rows", l.outFeatures());
            info.put("cols", l.inFeatures());
            switch (l) {
                case CsrLinear c -> {
                    info.put("format", "csr");
                    entries.put(name + ".row_ptr", TensorEntry.ofInts(name + ".row_ptr", new long[] {c.rowPointers().length}, c.rowPointers()));
                    entries.put(name + ".col_idx", TensorEntry.ofInts(name + ".col_idx", new long[] {c.columnIndices().length}, c.columnIndices()));
                    entries.put(name + ".values", TensorEntry.of(name + ".values", new FloatTensor(new int[] {c.values().length}, c.values())));
                }
                case NmLinear nm -> {
                    info.put("format", "nm");
                    info.put("n", nm.n());
                    info.put("m", nm.m());
                    int per = l.inFeatures() / nm.m() * nm.n();
                    entries.put(name + ".values", TensorEntry.of(name + ".values", new FloatTensor(new int[] {l.outFeatures(), per}, nm.values())));
                    entries.put(name + ".positions", TensorEntry.ofBytes(name + ".positions", Safetensors.Dtype.U8,
                            new long[] {l.outFeatures(), per}, nm.positions()));
                }
                case CsrInt8Linear c -> {
                    info.put("format", "csr-int8");
                    entries.put(name + ".row_ptr", TensorEntry.ofInts(name + ".row_ptr", new long[] {c.rowPointers().length}, c.rowPointers()));
                    entries.put(name + ".col_idx", TensorEntry.ofInts(name + ".col_idx", new long[] {c.columnIndices().length}, c.columnIndices()));
                    entries.put(name + ".int8", TensorEntry.ofBytes(name + ".int8", Safetensors.Dtype.I8, new long[] {c.storedValues()}, c.int8Values()));
                    entries.put(name + ".scale", TensorEntry.of(name + ".scale", new FloatTensor(new int[] {c.outFeatures()}, c.scales())));
                }
                case Int8Linear q -> {
                    info.put("format", "int8");
                    Int8Weight w = q.int8();
                    entries.put(name + ".int8", TensorEntry.ofBytes(name + ".int8", Safetensors.Dtype.I8, new long[] {w.rows(), w.cols()}, w.values()));
                    entries.put(name + ".scale", TensorEntry.of(name + ".scale", new FloatTensor(new int[] {w.rows()}, w.scales())));
                }
                case BlockCsrLinear b -> {
                    info.put("format", "block");
                    info.put("r", b.blockRows());
                    info.put("c", b.blockCols());
                    entries.put(name + ".block_ptr", TensorEntry.ofInts(name + ".block_ptr", new long[] {b.blockPointers().length}, b.blockPointers()));
                    entries.put(name + ".block_col", TensorEntry.ofInts(name + ".block_col", new long[] {b.blockColumns().length}, b.blockColumns()));
                    entries.put(name + ".values", TensorEntry.of(name + ".values", new FloatTensor(new int[] {b.values().length}, b.values())));
                }
                default -> {
                    info.put("format", "dense");
                    entries.put(name, TensorEntry.of(name, e.getValue()));
                }
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        try {
            meta.put("lacuna.linears", JSON.writeValueAsString(linears));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Safetensors.write(dir.resolve("model.safetensors"), entries, meta);
    }

    /** The tensors a projection's weight is stored in, as {@code P.weight.{row_ptr, col_idx, values}}. */
    private static String storedAs(String weight, String format) {
        return weight + switch (format) {
            case "csr" -> ".{row_ptr, col_idx, values} (csr)";
            case "nm" -> ".{values, positions} (n:m)";
            case "block" -> ".{block_ptr, block_col, values} (block csr)";
            case "int8" -> ".{int8, scale} (int8)";
            case "csr-int8" -> ".{row_ptr, col_idx, int8, scale} (csr-int8)";
            default -> "";
        };
    }

    /** {@code "csr: row 3 ..."} → {@code "row 3 ..."}: the storage named before it already says the kernel. */
    private static String withoutKernelPrefix(String message) {
        return message.replaceFirst("^(csr|block\\d+x\\d+|\\d+:\\d+): ", "");
    }

    /** The int8 weight stored as {@code q} I8 [rows, cols] and {@code scale} F32 [rows]. */
    private static Int8Weight int8(TensorEntry q, TensorEntry scale, int rows, int cols) {
        if (q.dtype() != Safetensors.Dtype.I8 || !java.util.Arrays.equals(q.shape(), new long[] {rows, cols})) {
            throw new LacunaException("int8 is " + q.describe() + ", expected I8[" + rows + ", " + cols + "]");
        }
        return new Int8Weight(rows, cols, q.toByteArray(), floats(scale, rows));
    }

    private static byte[] int8Bytes(TensorEntry q) {
        if (q.dtype() != Safetensors.Dtype.I8 || q.shape().length != 1) throw new LacunaException("int8 is " + q.describe() + ", expected I8[nnz]");
        return q.toByteArray();
    }

    private static float[] floats(TensorEntry t, int rows) {
        if (t.dtype() != Safetensors.Dtype.F32 || !java.util.Arrays.equals(t.shape(), new long[] {rows})) {
            throw new LacunaException(t.name().substring(t.name().lastIndexOf('.') + 1) + " is " + t.describe() + ", expected F32[" + rows + "]");
        }
        return t.toFloatTensor().data();
    }

    /** Loads a Lacuna model directory: sparse projections come back in their stored kernel format. */
    public static BertModel load(Path dir) {
        BertConfig cfg = HfBertLoader.readConfig(dir.resolve("config.json"));
        Path st = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(st)) throw new LacunaException(dir + ": no model.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(st)) {
            String format = f.metadata().get("format");
            if (format != null && format.startsWith(FORMAT_FAMILY) && !FORMAT.equals(format)) throw otherFormat(dir, st, format);
            if (!FORMAT.equals(format)) throw new LacunaException(st + ": not a Lacuna model (metadata format is " + format + ")");
            JsonNode linears;
            try {
                linears = JSON.readTree(f.metadata().getOrDefault("lacuna.linears", "{}"));
            } catch (IOException e) {
                throw new LacunaException(st + ": corrupt lacuna.linears metadata");
            }
            Map<String, FloatTensor> dense = new LinkedHashMap<>();
            for (Map.Entry<String, TensorEntry> e : f.tensors().entrySet()) {
                String n = e.getKey();
                if (n.endsWith(".row_ptr") || n.endsWith(".col_idx") || n.endsWith(".values") || n.endsWith(".positions")
                        || n.endsWith(".block_ptr") || n.endsWith(".block_col") || n.endsWith(".int8") || n.endsWith(".scale")) continue;
                dense.put(n, e.getValue().toFloatTensor());
            }
            Map<String, Linear> sparse = new LinkedHashMap<>();
            for (var it = linears.fields(); it.hasNext(); ) {
                var e = it.next();
                String p = e.getKey(), w = p + ".weight";
                JsonNode info = e.getValue();
                int rows = info.path("rows").asInt(), cols = info.path("cols").asInt();
                FloatTensor bias = dense.get(p + ".bias");
                String fmt = info.path("format").asText("dense");
                Linear l;
                try {
                    l = switch (fmt) {
                        case "dense" -> null;
                        case "csr" -> CsrLinear.of(rows, cols, f.require(w + ".row_ptr").toIntArray(), f.require(w + ".col_idx").toIntArray(),
                                f.require(w + ".values").toFloatTensor().data(), bias);
                        case "nm" -> NmLinear.of(rows, cols, info.path("n").asInt(), info.path("m").asInt(),
                                f.require(w + ".values").toFloatTensor().data(), f.require(w + ".positions").toByteArray(), bias);
                        case "block" -> BlockCsrLinear.of(rows, cols, info.path("r").asInt(), info.path("c").asInt(),
                                f.require(w + ".block_ptr").toIntArray(), f.require(w + ".block_col").toIntArray(),
                                f.require(w + ".values").toFloatTensor().data(), bias);
                        case "int8" -> new Int8Linear(int8(f.require(w + ".int8"), f.require(w + ".scale"), rows, cols), bias);
                        case "csr-int8" -> CsrInt8Linear.of(rows, cols, f.require(w + ".row_ptr").toIntArray(), f.require(w + ".col_idx").toIntArray(),
                                int8Bytes(f.require(w + ".int8")), floats(f.require(w + ".scale"), rows), bias);
                        default -> throw new LacunaException(st + ": " + p + " has unknown storage format '" + fmt + "'");
                    };
                } catch (LacunaException | IllegalArgumentException | IndexOutOfBoundsException ex) {
                    String why = withoutKernelPrefix(String.valueOf(ex.getMessage())).replace(st + ": ", "");
                    throw new LacunaException(st + ": " + storedAs(w, fmt) + ": " + why);
                }
                if (l != null) {
                    sparse.put(p, l);
                    dense.put(w, l.weight()); // placeholder so the dense model builds; replaced below
                }
            }
            for (String n : f.tensors().keySet()) {
                int at = n.lastIndexOf(".weight.");
                if (!dense.containsKey(n) && (at < 0 || !sparse.containsKey(n.substring(0, at)))) {
                    throw new LacunaException(st + ": tensor " + n + " belongs to no projection in the lacuna.linears metadata");
                }
            }
            BertCheckpoint ck = new BertCheckpoint(cfg, dense).validate(st.toString());
            BertModel m = BertModel.fromTensors(cfg, ck.tensors());
            return sparse.isEmpty() ? m : m.withLinears(sparse);
        }
    }
}
