// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static dev.lacuna.train.GradientCheck.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertTrainingTest {
    private static final String PRUNED = "encoder.layer.0.intermediate.dense";

    /** A random BERT of the given size (std 0.3 weights, LayerNorm γ near 1) with the tensors it was built from. */
    static BertModel tinyBert(BertConfig cfg, long seed) {
        Random rnd = new Random(seed);
        int c = cfg.hiddenSize(), in = cfg.intermediateSize();
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("embeddings.word_embeddings.weight", tensor(randn(rnd, cfg.vocabSize() * c, 0.5), cfg.vocabSize(), c));
        t.put("embeddings.position_embeddings.weight", tensor(randn(rnd, cfg.maxPositionEmbeddings() * c, 0.5), cfg.maxPositionEmbeddings(), c));
        t.put("embeddings.token_type_embeddings.weight", tensor(randn(rnd, cfg.typeVocabSize() * c, 0.5), cfg.typeVocabSize(), c));
        layerNorm(t, rnd, "embeddings.LayerNorm", c);
        for (int l = 0; l < cfg.numHiddenLayers(); l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                linear(t, rnd, p + n, c, c);
            }
            layerNorm(t, rnd, p + "attention.output.LayerNorm", c);
            linear(t, rnd, p + "intermediate.dense", in, c);
            linear(t, rnd, p + "output.dense", c, in);
            layerNorm(t, rnd, p + "output.LayerNorm", c);
        }
        return BertModel.fromTensors(cfg, t);
    }

    private static FloatTensor tensor(float[] d, int... shape) {
        return new FloatTensor(shape, d);
    }

    private static void linear(Map<String, FloatTensor> t, Random rnd, String name, int n, int k) {
        t.put(name + ".weight", tensor(randn(rnd, n * k, 1.2 / Math.sqrt(k)), n, k));
        t.put(name + ".bias", tensor(randn(rnd, n, 0.1), n));
    }

    private static void layerNorm(Map<String, FloatTensor> t, Random rnd, String name, int c) {
        float[] g = randn(rnd, c, 0.2);
        for (int i = 0; i < c; i++) g[i] += 1f;
        t.put(name + ".weight", tensor(g, c));
        t.put(name + ".bias", tensor(randn(rnd, c, 0.1), c));
    }

    static BertConfig config(int hidden, int heads, int inter) {
        return new BertConfig(30, hidden, 2, heads, inter, 24, 2, 1e-12, "gelu");
    }

    static Batch batch(Random rnd, int vocab, int... lengths) {
        int[][] seqs = new int[lengths.length][];
        for (int s = 0; s < lengths.length; s++) {
            seqs[s] = new int[lengths[s]];
            for (int i = 0; i < lengths[s]; i++) seqs[s][i] = rnd.nextInt(vocab);
        }
        return Batch.of(seqs);
    }

    /** The training forward gives BertModel.forward's embeddings (its attention is flash, ours dense: rounding only). */
    @ParameterizedTest
    @EnumSource(Pooling.class)
    void forwardMatchesTheModel(Pooling pooling) {
        BertConfig cfg = config(16, 2, 24);
        BertModel model = tinyBert(cfg, 1);
        Batch batch = batch(new Random(2), cfg.vocabSize(), 17, 1, 5, 9);
        try (Parallel par = new Parallel(2)) {
            Tape tape = new BertTraining(model, Map.of()).forward(par, batch, pooling);
            float[] hidden = model.forward(par, batch, Hooks.NONE);
            float[][] expected = pooling.pool(hidden, cfg.hiddenSize(), batch.seqStarts(), true);
            for (int i = 0; i < hidden.length; i++) assertEquals(hidden[i], tape.hidden()[i], 2e-5, "hidden " + i);
            for (int s = 0; s < expected.length; s++) assertArrayEquals(expected[s], tape.embeddings()[s], 2e-6f, "embedding " + s);
        }
    }

    /**
     * The whole-model gradient of a random projection of the pooled embeddings, on a sample of every
     * tensor, against double-precision central differences; one projection pruned to a mask and run by
     * the CSR kernel: its pruned weights get exactly no gradient.
     */
    @Test
    void wholeModelGradientMatchesFiniteDifferences() {
        BertConfig cfg = config(12, 2, 20);
        BertModel dense = tinyBert(cfg, 3);
        Random rnd = new Random(4);
        Linear ffn = dense.linears().get(PRUNED);
        float[] w = ffn.weight().data().clone();
        boolean[] kept = new boolean[w.length];
        for (int i = 0; i < w.length; i++) {
            kept[i] = rnd.nextInt(4) != 0;
            if (!kept[i]) w[i] = 0f;
        }
        BertModel model = dense.withLinears(Map.of(PRUNED, CsrLinear.fromDense(new FloatTensor(new int[] {cfg.intermediateSize(), cfg.hiddenSize()}, w), ffn.bias())));
        Batch batch = batch(rnd, cfg.vocabSize(), 17, 1, 5);
        BertTraining training = new BertTraining(model, Map.of(PRUNED, kept));
        Tape tape = training.forward(Parallel.serial(), batch, Pooling.MEAN);
        int b = batch.sequences(), c = cfg.hiddenSize();
        float[] r = randn(rnd, b * c, 1);
        float[][] de = new float[b][c];
        for (int s = 0; s < b; s++) System.arraycopy(r, s * c, de[s], 0, c);
        Gradients grads = new Gradients(model);
        training.backward(Parallel.serial(), tape, de, grads);

        Map<String, double[]> params = new LinkedHashMap<>();
        model.tensors().forEach((name, t) -> params.put(name, GradientCheck.toDouble(t.data())));
        java.util.function.DoubleSupplier loss = () -> GradientCheck.dot(DoubleBert.embed(cfg, params, batch, Pooling.MEAN), r);
        double worst = 0;
        for (var e : params.entrySet()) {
            String name = e.getKey();
            float[] g = grads.get(name);
            if (name.endsWith("attention.self.key.bias")) {
                // Softmax ignores a score shift shared by a row, and q·b_k is one: the gradient is exactly 0.
                for (float x : g) assertEquals(0f, x, 1e-6f, name);
                continue;
            }
            int[] idx = sampleUsed(rnd, name, e.getValue().length, batch, c, name.equals(PRUNED + ".weight") ? kept : null);
            worst = Math.max(worst, GradientCheck.check(name, e.getValue(), g, idx, loss));
        }
        for (int i = 0; i < kept.length; i++) if (!kept[i]) assertEquals(0f, grads.get(PRUNED + ".weight")[i], "pruned weight " + i);
        // Rows the batch did not use get no gradient.
        float[] dWord = grads.get("embeddings.word_embeddings.weight");
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (int id : batch.ids()) used.add(id);
        for (int v = 0; v < cfg.vocabSize(); v++) {
            if (used.contains(v)) continue;
            for (int j = 0; j < c; j++) assertEquals(0f, dWord[v * c + j]);
        }
        assertTrue(worst < GradientCheck.TOLERANCE);
    }

    /**
     * The backward with gradients on layer outputs (a loss Σ_l ⟨layerOutput(l), R_l⟩ on every layer but
     * one, as SquareHead's per-layer distillation, plus one on the embeddings) against double-precision
     * central differences on a sample of every tensor; then the same loss without the embedding term
     * (dEmb null), and with a tape recorded into the previous one's arrays (the same bits).
     */
    @Test
    void layerOutputGradientsMatchFiniteDifferences() {
        BertConfig cfg = new BertConfig(30, 12, 3, 2, 20, 24, 2, 1e-12, "gelu");
        BertModel model = tinyBert(cfg, 7);
        Random rnd = new Random(8);
        Batch batch = batch(rnd, cfg.vocabSize(), 9, 1, 6);
        int layers = cfg.numHiddenLayers(), b = batch.sequences(), c = cfg.hiddenSize(), n = batch.tokens() * c;
        float[][] dOut = new float[layers][];
        for (int l = 0; l < layers; l++) if (l != 1) dOut[l] = randn(rnd, n, 1);   // layer 1 without a loss
        for (boolean withEmb : new boolean[] {true, false}) {
            float[] r = randn(rnd, b * c, 1);
            float[][] de = null;
            if (withEmb) {
                de = new float[b][c];
                for (int s = 0; s < b; s++) System.arraycopy(r, s * c, de[s], 0, c);
            }
            BertTraining training = new BertTraining(model, Map.of());
            Tape tape = training.forward(Parallel.serial(), batch, Pooling.MEAN);
            Gradients grads = new Gradients(model);
            training.backward(Parallel.serial(), tape, de, dOut, grads);

            Map<String, double[]> params = new LinkedHashMap<>();
            model.tensors().forEach((name, t) -> params.put(name, GradientCheck.toDouble(t.data())));
            java.util.function.DoubleSupplier loss = () -> {
                double[][] outs = DoubleBert.layerOutputs(cfg, params, batch);
                double sum = withEmb ? GradientCheck.dot(DoubleOps.pool(Pooling.MEAN, outs[layers - 1], c, batch.seqStarts()), r) : 0;
                for (int l = 0; l < layers; l++) if (dOut[l] != null) sum += GradientCheck.dot(outs[l], dOut[l]);
                return sum;
            };
            for (var e : params.entrySet()) {
                String name = e.getKey();
                if (name.endsWith("attention.self.key.bias")) continue;   // exactly 0, see above
                int[] idx = sampleUsed(rnd, name, e.getValue().length, batch, c, null);
                GradientCheck.check(name + (withEmb ? "" : " (no dEmb)"), e.getValue(), grads.get(name), idx, loss);
            }
            // A second step recorded into the first one's tape, on a workspace used before: the same bits.
            Tape again = training.forward(Parallel.serial(), batch, Pooling.MEAN, tape);
            Gradients second = new Gradients(model);
            training.backward(Parallel.serial(), again, de, dOut, second);
            for (String name : grads.all().keySet()) assertArrayEquals(grads.get(name), second.get(name), 0f, name);
        }
    }

    /** Up to 6 entries of a tensor, taken from rows the batch used (embeddings) or kept entries (the mask). */
    private static int[] sampleUsed(Random rnd, String name, int n, Batch batch, int c, boolean[] kept) {
        java.util.List<Integer> pool = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int row = i / c;
            boolean ok = switch (name) {
                case "embeddings.word_embeddings.weight" -> contains(batch.ids(), row);
                case "embeddings.position_embeddings.weight" -> row < batch.maxLength();
                case "embeddings.token_type_embeddings.weight" -> row == 0;
                default -> kept == null || kept[i];
            };
            if (ok) pool.add(i);
        }
        java.util.Collections.shuffle(pool, rnd);
        return pool.stream().limit(6).mapToInt(Integer::intValue).toArray();
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    /** Forward and backward give the same bits on 1, 2 and 3 threads (a batch large enough to split). */
    @Test
    void deterministicForAnyThreadCount() {
        BertConfig cfg = config(32, 4, 64);
        BertModel model = tinyBert(cfg, 5);
        Random rnd = new Random(6);
        Batch batch = batch(rnd, cfg.vocabSize(), 24, 17, 1, 20, 23, 9, 24, 13);
        float[][] de = new float[batch.sequences()][];
        for (int s = 0; s < de.length; s++) de[s] = randn(rnd, cfg.hiddenSize(), 1);
        BertTraining training = new BertTraining(model, Map.of());
        Gradients one = new Gradients(model);
        Tape t1 = training.forward(Parallel.serial(), batch, Pooling.MEAN);
        training.backward(Parallel.serial(), t1, de, one);
        for (int threads : new int[] {2, 3}) {
            Gradients two = new Gradients(model);
            try (Parallel par = new Parallel(threads)) {
                Tape t2 = training.forward(par, batch, Pooling.MEAN);
                training.backward(par, t2, de, two);
                for (int s = 0; s < de.length; s++) assertArrayEquals(t1.embeddings()[s], t2.embeddings()[s], 0f);
            }
            for (String name : one.all().keySet()) assertArrayEquals(one.get(name), two.get(name), 0f, name + " threads " + threads);
        }
        double norm = 0;
        for (float[] g : one.all().values()) for (float x : g) norm += x * x;
        assertTrue(norm > 0);
    }
}
