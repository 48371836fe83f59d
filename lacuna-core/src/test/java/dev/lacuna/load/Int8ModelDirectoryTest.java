// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import dev.lacuna.LacunaException;
import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.kernel.Int8Linear;
import dev.lacuna.kernel.Int8Weight;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.prune.QuantizeModifier;
import dev.lacuna.sparse.CsrInt8Linear;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An int8 model directory stores int8 tensors with a scale per layer and reloads bit-exactly. */
class Int8ModelDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void int8ModelRoundTripsBitForBit() {
        LoadedModel base = ModelLoader.load("default");
        BertModel fp32 = base.encoder().model();
        // a pruned projection first (quantize comes after prune steps): CSR stays CSR, with int8 values
        String pruned = "encoder.layer.0.intermediate.dense";
        Linear l0 = fp32.linears().get(pruned);
        BertModel m = fp32.withLinears(Map.of(pruned, CsrLinear.fromDense(ModelDirectoryTest.prune(l0.weight(), 1, 1, 0.5), l0.bias())));
        BertModel q = QuantizeModifier.int8PerChannel().apply(m);
        for (Map.Entry<String, Linear> e : q.linears().entrySet()) assertEquals(e.getKey().equals(pruned) ? "csr-int8" : "int8", e.getValue().kernel());
        CsrInt8Linear c0 = (CsrInt8Linear) q.linears().get(pruned);
        assertEquals(((CsrLinear) m.linears().get(pruned)).storedValues(), c0.storedValues(), "the pruned entries are not stored");

        ModelDirectory.write(dir, q, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of("base_model", "default"));
        try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertEquals(Safetensors.Dtype.I8, f.require("encoder.layer.3.output.dense.weight.int8").dtype());
            assertEquals(Safetensors.Dtype.F32, f.require("encoder.layer.3.output.dense.weight.scale").dtype());
            assertTrue(!f.tensors().containsKey("encoder.layer.3.output.dense.weight"), "no fp32 copy of an int8 weight");
        }
        BertModel back = ModelDirectory.load(dir);
        for (Map.Entry<String, Linear> e : q.linears().entrySet()) {
            Linear b = back.linears().get(e.getKey());
            assertEquals(e.getValue().kernel(), b.kernel(), e.getKey());
            if (b instanceof CsrInt8Linear have) {
                CsrInt8Linear want = (CsrInt8Linear) e.getValue();
                assertArrayEquals(want.int8Values(), have.int8Values(), e.getKey());
                assertArrayEquals(want.scales(), have.scales(), e.getKey());
                assertArrayEquals(want.columnIndices(), have.columnIndices(), e.getKey());
            } else {
                Int8Weight want = ((Int8Linear) e.getValue()).int8(), have = ((Int8Linear) b).int8();
                assertArrayEquals(want.values(), have.values(), e.getKey());
                assertArrayEquals(want.scales(), have.scales(), e.getKey());
            }
            assertArrayEquals(e.getValue().bias().data(), b.bias().data(), e.getKey());
        }
        SentenceEncoder enc = base.encoder().withModel(q), encBack = base.encoder().withModel(back);
        List<String> texts = TestData.stsbDevSentences(24);
        try (Parallel par = new Parallel(2)) {
            float[][] a = enc.embed(par, texts, 8, null), b = encBack.embed(par, texts, 8, null);
            for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], texts.get(i));
        }
        assertEquals("csr-int8", ModelLoader.load(dir.toString()).encoder().model().linears().get(pruned).kernel());
    }

    @Test
    void corruptInt8TensorsNameTheFileTheTensorsAndTheFault() {
        LoadedModel base = ModelLoader.load("default");
        BertModel q = QuantizeModifier.int8PerChannel().apply(base.encoder().model());
        ModelDirectory.write(dir, q, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of());
        Path st = dir.resolve("model.safetensors");
        String p = "encoder.layer.2.output.dense.weight";
        int n = q.linears().get("encoder.layer.2.output.dense").outFeatures();
        ModelDirectoryTest.rewrite(st, e -> e.put(p + ".scale", TensorEntry.of(p + ".scale", new FloatTensor(new int[] {n - 1}, new float[n - 1]))));
        LacunaException e = assertThrows(LacunaException.class, () -> ModelLoader.load(dir.toString()));
        assertEquals(st + ": " + p + ".{int8, scale} (int8): scale is F32[" + (n - 1) + "], expected F32[" + n + "]", e.getMessage());
        ModelDirectoryTest.rewrite(st, e2 -> {
            float[] s = new float[n];
            s[5] = -1f;
            e2.put(p + ".scale", TensorEntry.of(p + ".scale", new FloatTensor(new int[] {n}, s)));
        });
        e = assertThrows(LacunaException.class, () -> ModelLoader.load(dir.toString()));
        assertEquals(st + ": " + p + ".{int8, scale} (int8): int8 weight: row 5 has scale -1.0 (must be finite and >= 0)", e.getMessage());
    }
}
