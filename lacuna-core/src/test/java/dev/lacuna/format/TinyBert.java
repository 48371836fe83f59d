// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static dev.lacuna.format.OnnxBuilder.*;

/**
 * Builds a tiny BERT encoder as an ONNX graph with opaque names ({@code t17}), so that only the
 * structure can tell the importer which weight is which, together with the weights it should find;
 * or, by {@link #checkpoint}, just random weights of any configuration.
 */
public final class TinyBert {
    static final int C = 8, H = 2, D = 4, I = 16, V = 20, P = 10, T = 2, L = 2, S = 5;

    /** Variants of the graph. */
    record Options(boolean layerNormOp, boolean geluOp, boolean qdqWeights, boolean tokenTypes, boolean biasFirst,
                   String foreignOp) {
    }

    record Built(byte[] model, BertConfig config, Map<String, FloatTensor> expected) {
    }

    private final OnnxBuilder b = new OnnxBuilder();
    private final Map<String, FloatTensor> expected = new LinkedHashMap<>();
    private final Random rnd;
    private final Options o;

    private TinyBert(long seed, Options o) {
        this.rnd = new Random(seed);
        this.o = o;
    }

    static Built build(long seed, Options o) {
        return new TinyBert(seed, o).build();
    }

    private Built build() {
        b.opset = o.geluOp ? 20 : 17;
        b.inputs.add(valueInfo("input_ids", OnnxDataType.INT64, 1, S));
        if (o.tokenTypes) b.inputs.add(valueInfo("token_type_ids", OnnxDataType.INT64, 1, S));
        String word = table("embeddings.word_embeddings.weight", V);
        String pos = table("embeddings.position_embeddings.weight", P);
        String posIds = b.initLongs(new long[] {1, S}, new long[] {0, 1, 2, 3, 4});
        String gw = b.op("Gather", word, "input_ids");
        String gp = b.op("Gather", pos, posIds);
        String sum;
        if (o.tokenTypes) {
            String type = table("embeddings.token_type_embeddings.weight", T);
            String gt = b.op("Gather", type, "token_type_ids");
            sum = b.op("Add", b.op("Add", gw, gt), gp);
        } else {
            expected.put("embeddings.token_type_embeddings.weight", new FloatTensor(new int[] {1, C}, new float[C]));
            sum = b.op("Add", gw, gp);
        }
        String h = layerNorm(sum, "embeddings.LayerNorm");
        String shape4 = b.initLongs(new long[] {4}, new long[] {0, 0, H, D});
        String shape3 = b.initLongs(new long[] {3}, new long[] {0, 0, C});
        for (int l = 0; l < L; l++) {
            String p = "encoder.layer." + l + ".";
            // emit value, key, query in that order: the importer must not rely on the order
            String vt = headSplit(linear(h, C, C, p + "attention.self.value"), shape4, 0, 2, 1, 3);
            String kt = headSplit(linear(h, C, C, p + "attention.self.key"), shape4, 0, 2, 3, 1);
            String qt = headSplit(linear(h, C, C, p + "attention.self.query"), shape4, 0, 2, 1, 3);
            String scores = b.op("Div", b.op("MatMul", qt, kt), b.scalar((float) Math.sqrt(D)));
            String probs = b.op("Softmax", new ProtoWriter[] {attrInt("axis", -1)}, scores);
            String ctx = b.op("MatMul", probs, vt);
            String merged = b.op("Reshape", b.op("Transpose", new ProtoWriter[] {attrInts("perm", 0, 2, 1, 3)}, ctx), shape3);
            String att = linear(merged, C, C, p + "attention.output.dense");
            String h1 = layerNorm(b.op("Add", att, h), p + "attention.output.LayerNorm");
            String up = linear(h1, I, C, p + "intermediate.dense");
            String act;
            if (o.geluOp) {
                act = b.op("Gelu", up);
            } else {
                String erf = b.op("Erf", b.op("Div", up, b.scalar((float) Math.sqrt(2))));
                act = b.op("Mul", b.op("Mul", up, b.op("Add", erf, b.scalar(1f))), b.scalar(0.5f));
            }
            if (o.foreignOp != null && l == 0) b.node("com.microsoft", o.foreignOp, new String[] {up}, new String[] {b.fresh()});
            String down = linear(act, C, I, p + "output.dense");
            h = layerNorm(b.op("Add", h1, down), p + "output.LayerNorm");
        }
        b.outputs.add(valueInfo(h, OnnxDataType.FLOAT, 1, S, C));
        BertConfig config = new BertConfig(V, C, L, H, I, P, o.tokenTypes ? T : 1, 1e-12, "gelu");
        return new Built(b.model(), config, expected);
    }

    /**
     * Random weights of every tensor {@code cfg} implies, seeded: embeddings and LayerNorm gains and
     * shifts ~ N(0, 1), projection weights ~ N(0, 1/in) so activations keep their scale, biases ~ N(0, 0.01).
     */
    public static BertCheckpoint checkpoint(BertConfig cfg, long seed) {
        Random rnd = new Random(seed);
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : BertCheckpoint.expectedShapes(cfg).entrySet()) {
            int[] shape = e.getValue();
            int n = 1;
            for (int d : shape) n *= d;
            String name = e.getKey();
            boolean projection = !name.startsWith("embeddings.") && !name.contains("LayerNorm");
            double scale = !projection ? 1 : name.endsWith(".weight") ? 1 / Math.sqrt(shape[1]) : 0.1;
            float[] data = new float[n];
            for (int i = 0; i < n; i++) data[i] = (float) (rnd.nextGaussian() * scale);
            t.put(name, new FloatTensor(shape, data));
        }
        return new BertCheckpoint(cfg, t);
    }

    private float[] random(int n, float scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) (rnd.nextGaussian() * scale);
        return f;
    }

    private String table(String name, int rows) {
        float[] data = random(rows * C, 1f);
        expected.put(name, new FloatTensor(new int[] {rows, C}, data));
        return b.init(new long[] {rows, C}, data);
    }

    private String layerNorm(String x, String prefix) {
        float[] gamma = random(C, 1f);
        float[] beta = random(C, 1f);
        expected.put(prefix + ".weight", new FloatTensor(new int[] {C}, gamma));
        expected.put(prefix + ".bias", new FloatTensor(new int[] {C}, beta));
        String g = b.init(new long[] {C}, gamma);
        String be = b.init(new long[] {C}, beta);
        if (o.layerNormOp) {
            return b.op("LayerNormalization", new ProtoWriter[] {attrInt("axis", -1), attrFloat("epsilon", 1e-12f)}, x, g, be);
        }
        ProtoWriter[] axes = {attrInts("axes", -1)};
        String mean = b.op("ReduceMean", axes, x);
        String d = b.op("Sub", x, mean);
        String var = b.op("ReduceMean", axes, b.op("Pow", d, b.scalar(2f)));
        String std = b.op("Sqrt", b.op("Add", var, b.scalar(1e-12f)));
        return b.op("Add", b.op("Mul", b.op("Div", d, std), g), be);
    }

    /** {@code x W^T + b} as ONNX stores it: MatMul with W as [in, out], then Add of the bias. */
    private String linear(String x, int out, int in, String prefix) {
        float[] stored = new float[in * out]; // [in, out]
        String w;
        if (o.qdqWeights) {
            byte[] q = new byte[in * out];
            float[] scale = new float[out];
            byte[] zp = new byte[out];
            for (int n = 0; n < out; n++) {
                scale[n] = 0.01f + rnd.nextFloat() * 0.02f;
                zp[n] = (byte) (rnd.nextInt(9) - 4);
            }
            for (int k = 0; k < in; k++) {
                for (int n = 0; n < out; n++) {
                    q[k * out + n] = (byte) (rnd.nextInt(255) - 127);
                    stored[k * out + n] = (q[k * out + n] - zp[n]) * scale[n];
                }
            }
            String qi = b.initRaw(OnnxDataType.INT8, new long[] {in, out}, q);
            String si = b.init(new long[] {out}, scale);
            String zi = b.initRaw(OnnxDataType.INT8, new long[] {out}, zp);
            w = b.op("DequantizeLinear", new ProtoWriter[] {attrInt("axis", 1)}, qi, si, zi);
        } else {
            stored = random(in * out, 0.3f);
            w = b.init(new long[] {in, out}, stored);
        }
        float[] bias = random(out, 0.1f);
        expected.put(prefix + ".weight", new FloatTensor(new int[] {in, out}, stored).transpose2d());
        expected.put(prefix + ".bias", new FloatTensor(new int[] {out}, bias));
        String bi = b.init(new long[] {out}, bias);
        String m = b.op("MatMul", x, w);
        return o.biasFirst ? b.op("Add", bi, m) : b.op("Add", m, bi);
    }

    private String headSplit(String x, String shape4, long... perm) {
        return b.op("Transpose", new ProtoWriter[] {attrInts("perm", perm)}, b.op("Reshape", x, shape4));
    }
}
