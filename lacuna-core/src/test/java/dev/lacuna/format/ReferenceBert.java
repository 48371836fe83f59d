// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.kernel.internal.Erf;
import dev.lacuna.model.bert.BertConfig;

/**
 * A plain, slow BERT forward pass over a checkpoint in double precision, one sequence at a time: the
 * algorithmic reference that ONNX Runtime (format tests) and {@code BertModel.forward} (model tests)
 * are checked against.
 */
public final class ReferenceBert {
    private ReferenceBert() {
    }

    /** Sees, and may overwrite in place, the activation [tokens][width] of one sequence at a hook point. */
    @FunctionalInterface
    public interface Hook {
        void on(String point, double[][] act);
    }

    /** last_hidden_state [tokens][hidden] for one unpadded sequence. */
    public static float[][] forward(BertCheckpoint ck, long[] ids, long[] types) {
        return forward(ck, ids, types, (point, act) -> { });
    }

    /**
     * As {@link #forward(BertCheckpoint, long[], long[])}, calling {@code hook} at every point that
     * {@code model.Hooks} names ({@code embed}, {@code layer.i.resid_pre} ... {@code layer.i.resid_post}),
     * in the same order.
     */
    public static float[][] forward(BertCheckpoint ck, long[] ids, long[] types, Hook hook) {
        BertConfig cfg = ck.config();
        int s = ids.length, c = cfg.hiddenSize(), heads = cfg.numAttentionHeads(), d = cfg.headDim();
        float[] word = ck.tensor("embeddings.word_embeddings.weight").data();
        float[] pos = ck.tensor("embeddings.position_embeddings.weight").data();
        float[] type = ck.tensor("embeddings.token_type_embeddings.weight").data();
        double[][] x = new double[s][c];
        for (int t = 0; t < s; t++) {
            for (int j = 0; j < c; j++) x[t][j] = word[(int) ids[t] * c + j] + pos[t * c + j] + type[(int) types[t] * c + j];
        }
        x = norm(ck, "embeddings.LayerNorm", x, cfg.layerNormEps());
        hook.on("embed", x);
        for (int l = 0; l < cfg.numHiddenLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            String hp = "layer." + l + ".";
            hook.on(hp + "resid_pre", x);
            double[][] q = linear(ck, p + "attention.self.query", x);
            double[][] k = linear(ck, p + "attention.self.key", x);
            double[][] v = linear(ck, p + "attention.self.value", x);
            double[][] ctx = new double[s][c];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < s; i++) {
                    double[] sc = new double[s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < s; j++) {
                        double dot = 0;
                        for (int e = 0; e < d; e++) dot += q[i][h * d + e] * k[j][h * d + e];
                        sc[j] = dot / Math.sqrt(d);
                        max = Math.max(max, sc[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < s; j++) sum += sc[j] = Math.exp(sc[j] - max);
                    for (int j = 0; j < s; j++) {
                        for (int e = 0; e < d; e++) ctx[i][h * d + e] += sc[j] / sum * v[j][h * d + e];
                    }
                }
            }
            hook.on(hp + "attn_z", ctx);
            double[][] a = linear(ck, p + "attention.output.dense", ctx);
            hook.on(hp + "attn_out", a);
            x = norm(ck, p + "attention.output.LayerNorm", add(x, a), cfg.layerNormEps());
            hook.on(hp + "resid_mid", x);
            double[][] u = linear(ck, p + "intermediate.dense", x);
            for (double[] row : u) for (int j = 0; j < row.length; j++) row[j] = activation(cfg.hiddenAct(), row[j]);
            hook.on(hp + "mlp_act", u);
            double[][] dn = linear(ck, p + "output.dense", u);
            hook.on(hp + "mlp_out", dn);
            x = norm(ck, p + "output.LayerNorm", add(x, dn), cfg.layerNormEps());
            hook.on(hp + "resid_post", x);
        }
        float[][] out = new float[s][c];
        for (int t = 0; t < s; t++) for (int j = 0; j < c; j++) out[t][j] = (float) x[t][j];
        return out;
    }

    /** Hugging Face's ACT2FN: gelu is exact (erf), gelu_new the tanh approximation. */
    private static double activation(String act, double v) {
        return switch (act) {
            case "gelu" -> 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
            case "gelu_new" -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            case "relu" -> Math.max(0, v);
            default -> throw new IllegalArgumentException("hidden_act " + act);
        };
    }

    private static double[][] linear(BertCheckpoint ck, String prefix, double[][] x) {
        float[] w = ck.tensor(prefix + ".weight").data();
        float[] b = ck.tensor(prefix + ".bias").data();
        int out = b.length, in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double acc = b[o];
                for (int i = 0; i < in; i++) acc += x[t][i] * w[o * in + i];
                y[t][o] = acc;
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] r = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) for (int j = 0; j < a[0].length; j++) r[t][j] = a[t][j] + b[t][j];
        return r;
    }

    private static double[][] norm(BertCheckpoint ck, String prefix, double[][] x, double eps) {
        float[] g = ck.tensor(prefix + ".weight").data();
        float[] b = ck.tensor(prefix + ".bias").data();
        double[][] r = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0, var = 0;
            for (double v : x[t]) mean += v;
            mean /= x[t].length;
            for (double v : x[t]) var += (v - mean) * (v - mean);
            var /= x[t].length;
            r[t] = new double[x[t].length];
            for (int j = 0; j < x[t].length; j++) r[t][j] = (x[t][j] - mean) / Math.sqrt(var + eps) * g[j] + b[j];
        }
        return r;
    }
}
