// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lacuna.LacunaException;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class BertOnnxImporterTest {
    static {
        TestModels.ensureTmpDir();
    }

    /** Node names of these exports carry the Hugging Face module path; used only to cross-check. */
    private static final Pattern PROJECTION = Pattern.compile(
            "/encoder/layer\\.(\\d+)/(attention/self/query|attention/self/key|attention/self/value|attention/output/dense"
                    + "|intermediate/dense|output/dense)/MatMul(_quant)?");

    private static final BertConfig MINILM = new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12, "gelu");

    @Test
    void miniLmFp32MapsStructurallyToTheNamesTheExportUsed() {
        OnnxModel model = OnnxModel.load(TestModels.path(TestModels.MINILM));
        BertCheckpoint ck = TestModels.imported(TestModels.MINILM);
        assertEquals(MINILM, ck.config());
        assertEquals(BertCheckpoint.expectedShapes(MINILM).keySet(), ck.tensors().keySet());
        ck.validate();
        assertArrayEquals(new int[] {30522, 384}, ck.tensor("embeddings.word_embeddings.weight").shape());
        assertArrayEquals(new int[] {1536, 384}, ck.tensor("encoder.layer.5.intermediate.dense.weight").shape());
        assertArrayEquals(new int[] {384, 1536}, ck.tensor("encoder.layer.5.output.dense.weight").shape());

        // initializers that kept their PyTorch names (tables, biases, LayerNorms) are equal bit for bit
        OnnxGraph g = model.graph();
        int named = 0;
        for (Map.Entry<String, OnnxTensor> e : g.initializers().entrySet()) {
            FloatTensor ours = ck.tensors().get(e.getKey());
            if (ours == null) continue;
            assertArrayEquals(e.getValue().toFloatArray(), ours.data(), e.getKey());
            named++;
        }
        assertEquals(5 + 6 * 10, named);
        // the projection weights are called onnx::MatMul_NNN: compare through the node names
        int projections = 0;
        for (OnnxNode n : g.nodes()) {
            Matcher m = PROJECTION.matcher(n.name());
            if (!m.matches()) continue;
            String hf = "encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight";
            assertTrue(n.input(1).startsWith("onnx::MatMul_"), n.input(1));
            FloatTensor stored = g.initializer(n.input(1)).toFloatTensor(); // [in, out]
            assertEquals(stored.transpose2d(), ck.tensor(hf), hf);
            projections++;
        }
        assertEquals(36, projections);
    }

    @Test
    void miniLmInt8DequantizesCloseToFp32() {
        BertCheckpoint fp32 = TestModels.imported(TestModels.MINILM);
        BertCheckpoint q = TestModels.imported(TestModels.MINILM_Q);
        OnnxGraph qGraph = OnnxModel.load(TestModels.path(TestModels.MINILM_Q)).graph();
        assertEquals(MINILM, q.config());
        java.util.List<Double> matrixErrors = new java.util.ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Map.Entry<String, FloatTensor> e : fp32.tensors().entrySet()) {
            FloatTensor a = e.getValue();
            FloatTensor b = q.tensor(e.getKey());
            assertArrayEquals(a.shape(), b.shape(), e.getKey());
            double err = relativeError(a.data(), b.data());
            if (e.getKey().matches("encoder\\..*(query|key|value|dense)\\.weight")) {
                // per-column symmetric int8 with reduce_range (q in [-64, 64]): the FFN output weights,
                // with their outliers, lose the most (~3%); the others ~1.5%
                assertTrue(err < 0.05, e.getKey() + ": relative error " + err);
                assertTrue(err > 0, e.getKey() + " should differ after int8 quantization");
                matrixErrors.add(err);
                if (e.getKey().startsWith("encoder.layer.0.")) report.append(String.format("  %-48s %.4f%n", e.getKey(), err));
            } else if (e.getKey().endsWith("embeddings.weight")) {
                // the tables are quantized per tensor (uint8) over the range of their outliers, so their
                // relative errors are larger (word ~4%, position ~17%); check the rounding bound instead:
                // |error| <= scale / 2, with the scale stored in the file
                double scale = qGraph.initializer(e.getKey() + "_scale").scalar();
                for (int i = 0; i < a.data().length; i++) {
                    assertTrue(Math.abs(a.data()[i] - b.data()[i]) <= scale * 0.5 * 1.0001 + 1e-7, e.getKey() + "[" + i + "]");
                }
                report.append(String.format("  %-48s %.4f (per-tensor uint8, error <= scale/2)%n", e.getKey(), err));
            } else {
                assertEquals(0.0, err, e.getKey() + " is stored as float in both files");
            }
        }
        java.util.Collections.sort(matrixErrors);
        double median = matrixErrors.get(matrixErrors.size() / 2);
        System.out.printf("MiniLM int8 vs fp32, relative Frobenius error: %d weight matrices, median %.4f, max %.4f%n%s",
                matrixErrors.size(), median, matrixErrors.getLast(), report);
        assertEquals(36, matrixErrors.size());
        assertTrue(median < 0.02, "median " + median);
    }

    @Test
    void quantizedWeightsMatchAManualDequantizationOfTheNamedInitializers() {
        for (String file : new String[] {TestModels.MINILM_Q, TestModels.BGE_Q}) {
            OnnxGraph g = OnnxModel.load(TestModels.path(file)).graph();
            BertCheckpoint ck = TestModels.imported(file);
            int checked = 0;
            for (OnnxNode n : g.nodes()) {
                Matcher m = PROJECTION.matcher(n.name());
                if (!m.matches() || !n.is("MatMulInteger")) continue;
                String hf = "encoder.layer." + m.group(1) + "." + m.group(2).replace('/', '.') + ".weight";
                String base = n.input(1).replaceFirst("_quantized$", "");
                OnnxTensor q = g.initializer(n.input(1));
                long[] zp = g.initializer(n.input(3)).toLongArray();
                float[] scale = g.initializer(base + "_scale").toFloatArray();
                int k = (int) q.dims()[0], cols = (int) q.dims()[1];
                long[] qv = q.toLongArray();
                float[] w = new float[k * cols];
                for (int r = 0; r < k; r++) {
                    for (int c = 0; c < cols; c++) {
                        float s = scale[scale.length == 1 ? 0 : c];
                        w[c * k + r] = (qv[r * cols + c] - zp[zp.length == 1 ? 0 : c]) * s;
                    }
                }
                assertArrayEquals(w, ck.tensor(hf).data(), file + " " + hf);
                checked++;
            }
            assertEquals(ck.config().numHiddenLayers() * 6, checked, file);
            // the embedding tables: Gather on uint8 + DequantizeLinear, per tensor
            OnnxTensor wq = g.initializer("embeddings.word_embeddings.weight_quantized");
            double s = g.initializer("embeddings.word_embeddings.weight_scale").scalar();
            double z = g.initializer("embeddings.word_embeddings.weight_zero_point").scalar();
            byte[] raw = wq.toByteArray();
            float[] table = ck.tensor("embeddings.word_embeddings.weight").data();
            for (int i = 0; i < raw.length; i += 997) assertEquals((float) (((raw[i] & 0xFF) - z) * (float) s), table[i], 0f);
        }
    }

    @Test
    void bgeSmallInt8HasTwelveLayers() {
        BertCheckpoint ck = TestModels.imported(TestModels.BGE_Q);
        assertEquals(new BertConfig(30522, 384, 12, 12, 1536, 512, 2, 1e-12, "gelu"), ck.config());
        assertEquals(5 + 12 * 16, ck.tensors().size());
        for (Map.Entry<String, FloatTensor> e : ck.tensors().entrySet()) {
            for (float f : e.getValue().data()) assertTrue(Float.isFinite(f), e.getKey());
        }
    }

    @Test
    void miniLmFp32ForwardMatchesOnnxRuntime() throws Exception {
        BertCheckpoint ck = TestModels.imported(TestModels.MINILM);
        long[] ids = {101, 7592, 2088, 1010, 2023, 2003, 1037, 3231, 1012, 102};
        long[] types = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        float[][] ours = ReferenceBert.forward(ck, ids, types);
        float[][] theirs = onnxRuntime(TestModels.MINILM, ids, types);
        double maxDiff = 0;
        for (int t = 0; t < ids.length; t++) {
            for (int c = 0; c < 384; c++) maxDiff = Math.max(maxDiff, Math.abs(ours[t][c] - theirs[t][c]));
        }
        System.out.printf("MiniLM fp32 reference forward vs ONNX Runtime: max |diff| %.2e%n", maxDiff);
        assertTrue(maxDiff < 1e-4, "max diff " + maxDiff);
    }

    @Test
    void int8ForwardWithDequantizedWeightsIsCloseToOnnxRuntimeInt8() throws Exception {
        for (String file : new String[] {TestModels.MINILM_Q, TestModels.BGE_Q}) {
            BertCheckpoint ck = TestModels.imported(file);
            long[] ids = {101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102};
            long[] types = new long[ids.length];
            float[][] ours = ReferenceBert.forward(ck, ids, types);
            float[][] theirs = onnxRuntime(file, ids, types);
            double minCos = 1;
            for (int t = 0; t < ids.length; t++) minCos = Math.min(minCos, cosine(ours[t], theirs[t]));
            System.out.printf("%s: dequantized fp32 forward vs ONNX Runtime int8, min per-token cosine %.5f%n", file, minCos);
            assertTrue(minCos > 0.98, file + ": min cosine " + minCos);
        }
    }

    @Test
    void tinySyntheticGraphsMapByStructureAlone() {
        TinyBert.Options[] variants = {
                new TinyBert.Options(false, false, false, true, true, null),
                new TinyBert.Options(true, false, false, true, false, null),
                new TinyBert.Options(true, true, true, true, false, null),
                new TinyBert.Options(false, true, true, false, true, null),
        };
        long seed = 1;
        for (TinyBert.Options o : variants) {
            TinyBert.Built built = TinyBert.build(seed++, o);
            BertCheckpoint ck = BertOnnxImporter.importModel(OnnxModel.parse(built.model(), "tiny.onnx"));
            assertEquals(built.config(), ck.config(), o.toString());
            assertEquals(built.expected().keySet(), ck.tensors().keySet(), o.toString());
            for (Map.Entry<String, FloatTensor> e : built.expected().entrySet()) {
                FloatTensor got = ck.tensor(e.getKey());
                assertArrayEquals(e.getValue().shape(), got.shape(), o + " " + e.getKey());
                assertArrayEquals(e.getValue().data(), got.data(), 1e-7f, o + " " + e.getKey());
            }
        }
    }

    @Test
    void fusedOnnxRuntimeOpsAreNamedInTheError() {
        TinyBert.Built built = TinyBert.build(7, new TinyBert.Options(true, false, false, true, false, "FastGelu"));
        LacunaException e = assertThrows(LacunaException.class,
                () -> BertOnnxImporter.importModel(OnnxModel.parse(built.model(), "fused.onnx")));
        assertTrue(e.getMessage().startsWith("fused.onnx: uses operators this importer cannot map"), e.getMessage());
        assertTrue(e.getMessage().contains("com.microsoft:FastGelu"), e.getMessage());
    }

    @Test
    void nonBertGraphsFailClearly() {
        OnnxBuilder b = new OnnxBuilder();
        b.inputs.add(OnnxBuilder.valueInfo("x", OnnxDataType.FLOAT, 1, 4));
        b.op("Relu", "x");
        LacunaException e = assertThrows(LacunaException.class, () -> BertOnnxImporter.importModel(OnnxModel.parse(b.model(), "relu.onnx")));
        assertTrue(e.getMessage().startsWith("relu.onnx: no word-embedding table found"), e.getMessage());
    }

    @Test
    void corruptedFilesFailWithLacunaExceptionOnly() throws IOException {
        byte[] bytes = Files.readAllBytes(TestModels.path(TestModels.MINILM_Q));
        Random rnd = new Random(42);
        int failures = 0, successes = 0;
        for (int iter = 0; iter < 60; iter++) {
            int region = iter % 3;
            int at = switch (region) {
                case 0 -> rnd.nextInt(256 * 1024);                    // nodes come first in the graph
                case 1 -> bytes.length - 1 - rnd.nextInt(4096);      // graph inputs, outputs, opsets
                default -> rnd.nextInt(bytes.length);
            };
            byte old = bytes[at];
            bytes[at] = (byte) (old ^ (1 + rnd.nextInt(255)));
            try {
                BertOnnxImporter.importModel(OnnxModel.parse(bytes, "flipped.onnx"));
                successes++;
            } catch (LacunaException e) {
                assertTrue(e.getMessage().startsWith("flipped.onnx: "), e.getMessage());
                failures++;
            } catch (RuntimeException e) {
                throw new AssertionError("byte " + at + " flipped: " + e, e);
            } finally {
                bytes[at] = old;
            }
        }
        System.out.printf("byte flips: %d rejected with a message, %d still importable%n", failures, successes);
        // truncations anywhere are always reported
        for (int cut : new int[] {3, 5000, 100_000, bytes.length / 2, bytes.length - 10}) {
            byte[] part = Arrays.copyOf(bytes, cut);
            LacunaException e = assertThrows(LacunaException.class, () -> BertOnnxImporter.importModel(OnnxModel.parse(part, "cut.onnx")));
            assertTrue(e.getMessage().contains("cut.onnx: truncated protobuf at offset"), e.getMessage());
        }
    }

    @Test
    void loadTimes() {
        for (String f : new String[] {TestModels.MINILM, TestModels.MINILM_Q, TestModels.BGE_Q}) {
            long t0 = System.nanoTime();
            BertCheckpoint ck = BertOnnxImporter.load(TestModels.path(f));
            long t1 = System.nanoTime();
            System.out.printf("load %s: %.0f ms (%d tensors)%n", f, (t1 - t0) / 1e6, ck.tensors().size());
        }
    }

    private static float[][] onnxRuntime(String file, long[] ids, long[] types) throws Exception {
        // the build passes -Donnxruntime.native.path= (empty), which makes ONNX Runtime look for the
        // library in the working directory instead of extracting it from its jar
        if ("".equals(System.getProperty("onnxruntime.native.path"))) System.clearProperty("onnxruntime.native.path");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
             OrtSession session = env.createSession(TestModels.path(file).toString(), opts);
             ai.onnxruntime.OnnxTensor tIds = ai.onnxruntime.OnnxTensor.createTensor(env, new long[][] {ids});
             ai.onnxruntime.OnnxTensor tMask = ai.onnxruntime.OnnxTensor.createTensor(env, new long[][] {mask});
             ai.onnxruntime.OnnxTensor tTypes = ai.onnxruntime.OnnxTensor.createTensor(env, new long[][] {types});
             OrtSession.Result r = session.run(Map.of("input_ids", tIds, "attention_mask", tMask, "token_type_ids", tTypes))) {
            return ((float[][][]) r.get(0).getValue())[0];
        }
    }

    private static double relativeError(float[] a, float[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            num += d * d;
            den += (double) a[i] * a[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    private static double cosine(float[] a, float[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
