// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.load;

import dev.lacuna.LacunaException;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.BlockCsrLinear;
import dev.lacuna.sparse.CsrLinear;
import dev.lacuna.sparse.NmLinear;
import dev.lacuna.sparsify.ModelSoup;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
/** Lacuna model directories round-trip bit-exactly; soups keep masks and refuse differing ones. */
class ModelDirectoryTest {
    static LoadedModel base;
    static BertModel sparse;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        base = ModelLoader.load("default");
        BertModel m = base.encoder().model();
        Map<String, Linear> ls = m.linears();
        Map<String, Linear> repl = new LinkedHashMap<>();
        repl.put("encoder.layer.0.intermediate.dense", CsrLinear.fromDense(prune(ls.get("encoder.layer.0.intermediate.dense").weight(), 1, 2, 0.7), ls.get("encoder.layer.0.intermediate.dense").bias()));
        repl.put("encoder.layer.1.output.dense", NmLinear.fromDense(prune(ls.get("encoder.layer.1.output.dense").weight(), 1, 4, 0.5), ls.get("encoder.layer.1.output.dense").bias(), 2, 4));
        repl.put("encoder.layer.2.attention.self.query", BlockCsrLinear.fromDense(prune(ls.get("encoder.layer.2.attention.self.query").weight(), 4, 4, 0.75), ls.get("encoder.layer.2.attention.self.query").bias(), 4, 4));
        sparse = m.withLinears(repl);
    }

    /** Zeroes the smallest-magnitude groups: blocks of r x c (r=c=1: unstructured) or n:m within groups of c along K when r == 1 and c == 4 / 2:4. */
    static FloatTensor prune(FloatTensor w, int r, int c, double sparsity) {
        int n = w.dim(0), k = w.dim(1);
        float[] d = w.data().clone();
        if (r == 1 && c == 4) { // 2:4 along K
            for (int i = 0; i < n; i++) {
                for (int g = 0; g < k; g += 4) {
                    Integer[] idx = {0, 1, 2, 3};
                    final int row = i, grp = g;
                    Arrays.sort(idx, (a, b) -> Float.compare(Math.abs(d[row * k + grp + a]), Math.abs(d[row * k + grp + b])));
                    d[i * k + g + idx[0]] = 0;
                    d[i * k + g + idx[1]] = 0;
                }
            }
            return new FloatTensor(w.shape().clone(), d);
        }
        int br = n / r, bc = k / c;
        double[] score = new double[br * bc];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) score[(i / r) * bc + j / c] += Math.abs(d[i * k + j]);
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        double thr = sorted[(int) Math.round(sparsity * score.length)];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) if (score[(i / r) * bc + j / c] < thr) d[i * k + j] = 0;
        return new FloatTensor(w.shape().clone(), d);
    }

    @Test
    void saveLoadIsBitExactPerKernelFormat() {
        ModelDirectory.write(dir, sparse, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of("base_model", "default"));
        assertTrue(ModelDirectory.isLacuna(dir));
        BertModel back = ModelDirectory.load(dir);
        Map<String, Linear> a = sparse.linears(), b = back.linears();
        for (String name : a.keySet()) {
            assertEquals(a.get(name).kernel(), b.get(name).kernel(), name);
            assertArrayEquals(a.get(name).weight().data(), b.get(name).weight().data(), name);
            assertArrayEquals(a.get(name).bias().data(), b.get(name).bias().data(), name);
        }
        assertEquals("csr", b.get("encoder.layer.0.intermediate.dense").kernel());
        assertEquals("2:4", b.get("encoder.layer.1.output.dense").kernel());
        assertTrue(b.get("encoder.layer.2.attention.self.query").kernel().startsWith("block"));
        for (Map.Entry<String, FloatTensor> e : sparse.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), back.tensors().get(e.getKey()).data(), e.getKey());
        }
        // and the directory is a model every command accepts
        LoadedModel lm = ModelLoader.load(dir.toString());
        assertEquals("csr", lm.encoder().model().linears().get("encoder.layer.0.intermediate.dense").kernel());
        assertTrue(lm.peerFiles().containsKey("onnxruntime-int8"), "base model peers are known");
    }

    @Test
    void aModelOfAnotherFormatVersionIsRefusedInOneLine() throws Exception {
        ModelDirectory.write(dir, sparse, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of("lacuna_version", "9.0.0"));
        Path st = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        String head = new String(all, 0, Math.min(all.length, 1 << 16), java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = head.indexOf(ModelDirectory.FORMAT);
        assertTrue(at > 0, "the format is in the header");
        byte[] future = "lacuna-sparse-v9".getBytes(java.nio.charset.StandardCharsets.US_ASCII);   // same length: the header stays valid
        System.arraycopy(future, 0, all, at, future.length);
        Files.write(st, all);
        LacunaException e = assertThrows(LacunaException.class, () -> ModelLoader.load(dir.toString()));
        assertTrue(e.getMessage().contains("model format lacuna-sparse-v9") && e.getMessage().contains("reads " + ModelDirectory.FORMAT), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void truncatedSparseModelFileIsAClearError() throws Exception {
        ModelDirectory.write(dir, sparse, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of());
        Path st = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        Files.write(st, Arrays.copyOf(all, all.length / 2));
        LacunaException e = assertThrows(LacunaException.class, () -> ModelLoader.load(dir.toString()));
        assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
    }

    @Test
    void configWithFewerLayersThanTheWeightsIsAnError() throws Exception {
        // issue 16, finding 3: a config.json cut to fewer layers ran a truncated model
        ModelDirectory.write(dir, sparse, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of());
        Path cfg = dir.resolve("config.json");
        int layers = sparse.config().numHiddenLayers();
        String text = Files.readString(cfg);
        String cut = text.replace("\"num_hidden_layers\" : " + layers, "\"num_hidden_layers\" : " + (layers - 1));
        assertTrue(!cut.equals(text), text);
        Files.writeString(cfg, cut);
        LacunaException e = assertThrows(LacunaException.class, () -> ModelLoader.load(dir.toString()));
        assertTrue(e.getMessage().startsWith(dir.resolve("model.safetensors") + ": 16 tensors not accounted for by the config (the weights have "
                + layers + " layers, num_hidden_layers is " + (layers - 1) + "): encoder.layer." + (layers - 1) + "."), e.getMessage());

        // sparse parts that no projection in the metadata claims are named as well
        Files.writeString(cfg, text);
        Path st = dir.resolve("model.safetensors");
        String stray = "encoder.layer." + layers + ".output.dense.weight.row_ptr";
        rewrite(st, entries -> entries.put(stray, TensorEntry.ofInts(stray, new long[] {2}, new int[] {0, 0})));
        e = assertThrows(LacunaException.class, () -> ModelLoader.load(dir.toString()));
        assertEquals(st + ": tensor " + stray + " belongs to no projection in the lacuna.linears metadata", e.getMessage());
    }

    @Test
    void corruptSparseTensorsNameTheFileTheTensorsAndTheFault() throws Exception {
        // issue 16, finding 8: a row_ptr past the non-zeros read as "columns not increasing", with no file or tensor
        ModelDirectory.write(dir, sparse, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of());
        Path st = dir.resolve("model.safetensors");
        String w = "encoder.layer.0.intermediate.dense.weight";
        CsrLinear csr = (CsrLinear) sparse.linears().get("encoder.layer.0.intermediate.dense");
        int nnz = csr.values().length;
        int[] ptr = csr.rowPointers().clone();
        ptr[1] = nnz + 1;
        rewrite(st, entries -> entries.put(w + ".row_ptr", TensorEntry.ofInts(w + ".row_ptr", new long[] {ptr.length}, ptr)));
        LacunaException e = assertThrows(LacunaException.class, () -> ModelDirectory.load(dir));
        assertEquals(st + ": " + w + ".{row_ptr, col_idx, values} (csr): row pointer 1 is " + (nnz + 1) + ", past the " + nnz + " non-zeros",
                e.getMessage());

        ModelDirectory.write(dir, sparse, Pooling.MEAN, 256, base.tokenizerJson().get(), Map.of());
        String nm = "encoder.layer.1.output.dense.weight";
        rewrite(st, entries -> entries.remove(nm + ".positions"));
        e = assertThrows(LacunaException.class, () -> ModelDirectory.load(dir));
        assertEquals(st + ": " + nm + ".{values, positions} (n:m): no tensor '" + nm + ".positions'", e.getMessage());
    }

    /** Rewrites a safetensors file with {@code edit} applied to its entries, keeping its metadata. */
    static void rewrite(Path st, java.util.function.Consumer<Map<String, TensorEntry>> edit) {
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        Map<String, String> meta;
        try (SafetensorsFile f = SafetensorsFile.open(st)) {
            meta = f.metadata();
            for (Map.Entry<String, TensorEntry> x : f.tensors().entrySet()) {
                entries.put(x.getKey(), TensorEntry.ofBytes(x.getKey(), x.getValue().dtype(), x.getValue().shape(), x.getValue().toByteArray()));
            }
        }
        edit.accept(entries);
        Safetensors.write(st, entries, meta);
    }

    @Test
    void soupOfOneMaskKeepsTheMaskAndAverages() {
        BertModel soup = ModelSoup.average(List.of(sparse, sparse), List.of("a", "b"));
        Linear l = soup.linears().get("encoder.layer.0.intermediate.dense");
        assertEquals("csr", l.kernel());
        assertArrayEquals(sparse.linears().get("encoder.layer.0.intermediate.dense").weight().data(), l.weight().data());
    }

    /** {@code sparse} with its kept weights (and every other tensor) moved by ±δ: an ingredient with the same mask. */
    static BertModel ingredient(long seed, double sign) {
        java.util.Random rnd = new java.util.Random(seed);
        Map<String, Linear> repl = new LinkedHashMap<>();
        for (var e : sparse.linears().entrySet()) {
            float[] w = e.getValue().weight().data().clone();
            for (int j = 0; j < w.length; j++) {
                if (w[j] == 0f) continue;
                float moved = w[j] + (float) (sign * 0.01 * (1 + (j % 7))) + (float) (rnd.nextGaussian() * 1e-3);
                w[j] = moved != 0f ? moved : w[j];   // kept weights stay kept
            }
            FloatTensor wt = new FloatTensor(e.getValue().weight().shape().clone(), w);
            Linear l = e.getValue();
            repl.put(e.getKey(), switch (l) {
                case CsrLinear c -> CsrLinear.fromDense(wt, l.bias());
                case NmLinear nm -> NmLinear.fromDense(wt, l.bias(), nm.n(), nm.m());
                case BlockCsrLinear b -> BlockCsrLinear.fromDense(wt, l.bias(), b.blockRows(), b.blockCols());
                default -> new dev.lacuna.kernel.DenseLinear(wt, l.bias());
            });
        }
        return sparse.withLinears(repl);
    }

    /**
     * Three different ingredients sharing one mask: the soup is their element-wise mean (computed here
     * in double), keeps the mask and each projection's kernel, and differs from every ingredient; its
     * embeddings are the embeddings of that mean model.
     */
    @Test
    void soupOfDifferentIngredientsIsTheirMeanOnTheSharedMask() {
        List<BertModel> parts = List.of(ingredient(1, +1), ingredient(2, -1), ingredient(3, +0.5));
        BertModel soup = ModelSoup.average(parts, List.of("a", "b", "c"));
        for (var e : sparse.linears().entrySet()) {
            String name = e.getKey();
            Linear l = soup.linears().get(name);
            assertEquals(e.getValue().kernel(), l.kernel(), name);
            float[] got = l.weight().data(), mask = e.getValue().weight().data();
            float[][] in = parts.stream().map(m -> m.linears().get(name).weight().data()).toArray(float[][]::new);
            boolean differs = false;
            for (int j = 0; j < got.length; j++) {
                float want = (float) (((double) in[0][j] + in[1][j] + in[2][j]) / 3);
                assertEquals(want, got[j], 0f, name + " at " + j);
                assertEquals(mask[j] == 0f, got[j] == 0f, name + ": mask at " + j);
                differs |= got[j] != in[0][j];
            }
            assertTrue(differs, name + ": the soup is not its first ingredient");
        }
        float[] e1 = base.encoder().withModel(soup).embed(dev.lacuna.concurrent.Parallel.serial(), List.of("A man plays a guitar."), 1, null)[0];
        float[] e0 = base.encoder().withModel(parts.get(0)).embed(dev.lacuna.concurrent.Parallel.serial(), List.of("A man plays a guitar."), 1, null)[0];
        assertTrue(!Arrays.equals(e0, e1), "the soup embeds differently from an ingredient");
    }

    @Test
    void soupRefusesDifferentMasks() {
        BertModel dense = base.encoder().model();
        LacunaException e = assertThrows(LacunaException.class, () -> ModelSoup.average(List.of(sparse, dense), List.of("sparse", "dense")));
        assertTrue(e.getMessage().contains("masks differ"), e.getMessage());
    }
}
