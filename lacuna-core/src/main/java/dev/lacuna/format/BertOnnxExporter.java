// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.kernel.Int8Linear;
import dev.lacuna.kernel.Int8Weight;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertLayer;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.CsrInt8Linear;
import dev.lacuna.tensor.FloatTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * Writes a BERT encoder as a standard ONNX graph (opset 17, IR 8), the form Hugging Face's exporters
 * give and ONNX Runtime, OpenSearch and langchain4j load: inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (int64 [batch, sequence]), output
 * {@code last_hidden_state} (float [batch, sequence, hidden]).
 *
 * <pre>
 * embeddings  Gather(word, input_ids) + Gather(position, Slice(position_ids, 0, S)) + Gather(type, token_type_ids)
 *             -> LayerNormalization
 * mask        (1 - Cast(attention_mask)) * -10000, [B, 1, 1, S]
 * each layer  q, k, v = x·Wᵀ + b, split into heads (Reshape [0, 0, H, D], Transpose)
 *             Softmax(q·kᵀ / √D + mask)·v, heads joined, ·Woᵀ + bo, + x, LayerNormalization
 *             GELU(x·Wiᵀ + bi) (erf form) ·Wdᵀ + bd, + x, LayerNormalization
 * </pre>
 *
 * Weights are stored transposed, [in, out], as MatMul takes them. Pruned weights are dense tensors
 * with their zeros (ONNX has no sparse MatMul that runtimes execute); int8 weights stay int8, as
 * {@code DequantizeLinear(W_q [in, out], scale [out], axis = 1)} before the MatMul, which gives the very
 * floats Lacuna's int8 kernels compute with. A sparse attention plan is not expressible here: the
 * graph's attention is dense. {@link BertOnnxImporter} reads the graph back.
 */
public final class BertOnnxExporter {
    static final int OPSET = 17, IR_VERSION = 8;
    // onnx.proto TensorProto.DataType and AttributeProto.AttributeType
    private static final int FLOAT = 1, INT8 = 3, INT64 = 7;
    private static final int ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_INTS = 7;

    private final ProtoWriter graph = new ProtoWriter(1 << 20);
    private int nodes;

    private BertOnnxExporter() {}

    /**
     * The ONNX model bytes of {@code m}.
     *
     * @param metadata written as the model's {@code metadata_props} (e.g. pooling and maximum length)
     */
    public static byte[] export(BertModel m, String graphName, Map<String, String> metadata) {
        BertConfig cfg = m.config();
        if (!cfg.hiddenAct().equals("gelu") && !cfg.hiddenAct().equals("relu")) {
            throw new LacunaException("ONNX export: activation " + cfg.hiddenAct() + " is not supported (gelu, relu)");
        }
        BertOnnxExporter e = new BertOnnxExporter();
        e.build(m);
        e.graph.string(2, graphName);
        ProtoWriter model = new ProtoWriter(e.graph.size() + 1024);
        model.varint(1, IR_VERSION);
        model.string(2, "lacuna");
        model.string(3, dev.lacuna.Version.get());
        model.message(7, e.graph);
        model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        for (var kv : metadata.entrySet()) model.message(14, new ProtoWriter().string(1, kv.getKey()).string(2, kv.getValue()));
        return model.toByteArray();
    }

    private void build(BertModel m) {
        BertConfig cfg = m.config();
        int c = cfg.hiddenSize(), heads = cfg.numAttentionHeads(), d = c / heads, positions = cfg.maxPositionEmbeddings();
        for (String in : new String[] {"input_ids", "attention_mask", "token_type_ids"}) graph.message(11, valueInfo(in, INT64, "batch", "sequence"));
        graph.message(12, valueInfo("last_hidden_state", FLOAT, "batch", "sequence", String.valueOf(c)));
        Map<String, FloatTensor> t = m.tensors();

        // embeddings
        floats("embeddings.word_embeddings.weight", t.get("embeddings.word_embeddings.weight"));
        floats("embeddings.position_embeddings.weight", t.get("embeddings.position_embeddings.weight"));
        long[] pos = new long[positions];
        for (int i = 0; i < positions; i++) pos[i] = i;
        longs("position_ids", new long[] {positions}, pos);
        longs("c_zero", new long[] {1}, 0);
        longs("c_one", new long[] {1}, 1);
        longs("c_two", new long[] {1}, 2);
        String shape = node("Shape", "input_ids");
        String seq = node("Slice", shape, "c_one", "c_two");
        String posIds = node("Slice", "position_ids", "c_zero", seq);
        String x = node("Add", node("Gather", "embeddings.word_embeddings.weight", "input_ids"),
                node("Gather", "embeddings.position_embeddings.weight", posIds));
        if (cfg.typeVocabSize() > 0) {
            floats("embeddings.token_type_embeddings.weight", t.get("embeddings.token_type_embeddings.weight"));
            x = node("Add", x, node("Gather", "embeddings.token_type_embeddings.weight", "token_type_ids"));
        }
        x = layerNorm("embeddings.LayerNorm", t, x, cfg.layerNormEps(), null);

        // additive mask [B, 1, 1, S]: 0 where attended, -10000 on padding
        scalar("c_one_f", 1f);
        scalar("c_mask_min", -10000f);
        longs("c_axes_12", new long[] {2}, 1, 2);
        String maskF = node("Cast", new Attr[] {Attr.i("to", FLOAT)}, "attention_mask");
        String mask = node("Unsqueeze", node("Mul", node("Sub", "c_one_f", maskF), "c_mask_min"), "c_axes_12");

        longs("c_heads_shape", new long[] {4}, 0, 0, heads, d);
        longs("c_hidden_shape", new long[] {3}, 0, 0, c);
        scalar("c_sqrt_d", (float) Math.sqrt(d));
        scalar("c_half", 0.5f);
        scalar("c_inv_sqrt2", (float) (1 / Math.sqrt(2)));
        for (int i = 0; i < m.layerCount(); i++) {
            BertLayer l = m.layer(i);
            String p = "encoder.layer." + i + ".";
            String q = node("Transpose", new Attr[] {Attr.ints("perm", 0, 2, 1, 3)}, node("Reshape", linear(p + "attention.self.query", l.query(), x), "c_heads_shape"));
            String k = node("Transpose", new Attr[] {Attr.ints("perm", 0, 2, 3, 1)}, node("Reshape", linear(p + "attention.self.key", l.key(), x), "c_heads_shape"));
            String v = node("Transpose", new Attr[] {Attr.ints("perm", 0, 2, 1, 3)}, node("Reshape", linear(p + "attention.self.value", l.value(), x), "c_heads_shape"));
            String scores = node("Add", node("Div", node("MatMul", q, k), "c_sqrt_d"), mask);
            String probs = node("Softmax", new Attr[] {Attr.i("axis", -1)}, scores);
            String ctx = node("Reshape", node("Transpose", new Attr[] {Attr.ints("perm", 0, 2, 1, 3)}, node("MatMul", probs, v)), "c_hidden_shape");
            String attn = node("Add", linear(p + "attention.output.dense", l.attnOut(), ctx), x);
            x = layerNorm(p + "attention.output.LayerNorm", t, attn, cfg.layerNormEps(), null);
            String up = linear(p + "intermediate.dense", l.ffnIn(), x);
            String act = cfg.hiddenAct().equals("relu") ? node("Relu", up)
                    : node("Mul", node("Mul", up, node("Add", node("Erf", node("Mul", up, "c_inv_sqrt2")), "c_one_f")), "c_half");
            String out = node("Add", linear(p + "output.dense", l.ffnOut(), act), x);
            x = layerNorm(p + "output.LayerNorm", t, out, cfg.layerNormEps(), i == m.layerCount() - 1 ? "last_hidden_state" : null);
        }
    }

    /** y = x·Wᵀ + b with W stored as [in, out]: float, or int8 behind DequantizeLinear. */
    private String linear(String name, Linear l, String x) {
        int n = l.outFeatures(), k = l.inFeatures();
        String w = name + ".weight";
        Int8Weight q = int8(l);
        if (q != null) {
            byte[] qt = new byte[n * k];
            for (int r = 0; r < n; r++) for (int j = 0; j < k; j++) qt[j * n + r] = q.values()[r * k + j];
            graph.message(5, tensor(w + "_quantized", INT8, new long[] {k, n}, qt));
            floats(w + "_scale", new FloatTensor(new int[] {n}, q.scales()));
            w = node("DequantizeLinear", new Attr[] {Attr.i("axis", 1)}, w + "_quantized", w + "_scale");
        } else {
            float[] wd = l.weight().data(), wt = new float[n * k];
            for (int r = 0; r < n; r++) for (int j = 0; j < k; j++) wt[j * n + r] = wd[r * k + j];
            floats(w, new FloatTensor(new int[] {k, n}, wt));
        }
        String y = node("MatMul", x, w);
        if (l.bias() == null) return y;
        floats(name + ".bias", l.bias());
        return node("Add", y, name + ".bias");
    }

    /** The int8 weight [N, K] and per-row scales of an int8 projection (CSR int8 with its zeros), or null. */
    private static Int8Weight int8(Linear l) {
        if (l instanceof Int8Linear il) return il.int8();
        if (l instanceof CsrInt8Linear cl) {
            int n = cl.outFeatures(), k = cl.inFeatures();
            byte[] v = new byte[n * k];
            int[] rp = cl.rowPointers(), ci = cl.columnIndices();
            byte[] nz = cl.int8Values();
            for (int r = 0; r < n; r++) for (int e = rp[r]; e < rp[r + 1]; e++) v[r * k + ci[e]] = nz[e];
            return new Int8Weight(n, k, v, cl.scales());
        }
        return null;
    }

    private String layerNorm(String name, Map<String, FloatTensor> t, String x, double eps, String output) {
        floats(name + ".weight", t.get(name + ".weight"));
        floats(name + ".bias", t.get(name + ".bias"));
        String out = output != null ? output : name + ".out";
        emit("LayerNormalization", new Attr[] {Attr.i("axis", -1), Attr.f("epsilon", (float) eps)}, out, x, name + ".weight", name + ".bias");
        return out;
    }

    // ---- nodes and values -----------------------------------------------------------------------

    private record Attr(String name, int type, float f, long i, long[] ints) {
        static Attr i(String n, long v) {
            return new Attr(n, ATTR_INT, 0, v, null);
        }

        static Attr f(String n, float v) {
            return new Attr(n, ATTR_FLOAT, v, 0, null);
        }

        static Attr ints(String n, long... v) {
            return new Attr(n, ATTR_INTS, 0, 0, v);
        }
    }

    private String node(String op, String... inputs) {
        return node(op, new Attr[0], inputs);
    }

    /** A node with one output, named after its op and position; returns the output's name. */
    private String node(String op, Attr[] attrs, String... inputs) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + nodes;
        emit(op, attrs, out, inputs);
        return out;
    }

    private void emit(String op, Attr[] attrs, String output, String... inputs) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) n.string(1, in);
        n.string(2, output);
        n.string(3, op + "_" + nodes++);
        n.string(4, op);
        for (Attr a : attrs) {
            ProtoWriter w = new ProtoWriter().string(1, a.name()).varint(20, a.type());
            switch (a.type()) {
                case ATTR_FLOAT -> w.float32(2, a.f());
                case ATTR_INT -> w.varint(3, a.i());
                default -> w.packedVarints(8, a.ints());
            }
            n.message(5, w);
        }
        graph.message(1, n);
    }

    private static ProtoWriter valueInfo(String name, int elemType, String... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (String d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d.chars().allMatch(Character::isDigit)) dim.varint(1, Long.parseLong(d));
            else dim.string(2, d);
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private void floats(String name, FloatTensor t) {
        float[] v = t.data();
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        long[] dims = new long[t.shape().length];
        for (int i = 0; i < dims.length; i++) dims[i] = t.shape()[i];
        graph.message(5, tensor(name, FLOAT, dims, b.array()));
    }

    private void scalar(String name, float v) {
        floats(name, new FloatTensor(new int[0], new float[] {v}));
    }

    private void longs(String name, long[] dims, long... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        graph.message(5, tensor(name, INT64, dims, b.array()));
    }

    private static ProtoWriter tensor(String name, int dataType, long[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter(raw.length + 64);
        if (dims.length > 0) t.packedVarints(1, dims);
        t.varint(2, dataType);
        t.string(8, name);
        t.bytes(9, raw);
        return t;
    }
}
