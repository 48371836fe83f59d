// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tensor.FloatTensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Models and calibration data for the pruning tests. */
final class PruneFixtures {
    private PruneFixtures() {}

    static final int C = 32, I = 64, V = 50, P = 40, LAYERS = 2, HEADS = 4;

    /** A small random BERT (C = 32, I = 64, 2 layers): fast enough for end-to-end pruning tests. */
    static BertModel tinyModel(long seed) {
        Random r = new Random(seed);
        Map<String, FloatTensor> t = new LinkedHashMap<>();
        t.put("embeddings.word_embeddings.weight", gauss(r, 1, V, C));
        t.put("embeddings.position_embeddings.weight", gauss(r, 0.5, P, C));
        t.put("embeddings.token_type_embeddings.weight", gauss(r, 0.1, 2, C));
        t.put("embeddings.LayerNorm.weight", ones(C));
        t.put("embeddings.LayerNorm.bias", gauss(r, 0.1, C));
        for (int l = 0; l < LAYERS; l++) {
            String p = "encoder.layer." + l + ".";
            for (String n : new String[] {"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"}) {
                t.put(p + n + ".weight", gauss(r, 1 / Math.sqrt(C), C, C));
                t.put(p + n + ".bias", gauss(r, 0.05, C));
            }
            t.put(p + "attention.output.LayerNorm.weight", ones(C));
            t.put(p + "attention.output.LayerNorm.bias", gauss(r, 0.1, C));
            t.put(p + "intermediate.dense.weight", gauss(r, 1 / Math.sqrt(C), I, C));
            t.put(p + "intermediate.dense.bias", gauss(r, 0.05, I));
            t.put(p + "output.dense.weight", gauss(r, 1 / Math.sqrt(I), C, I));
            t.put(p + "output.dense.bias", gauss(r, 0.05, C));
            t.put(p + "output.LayerNorm.weight", ones(C));
            t.put(p + "output.LayerNorm.bias", gauss(r, 0.1, C));
        }
        return BertModel.fromTensors(new BertConfig(V, C, LAYERS, HEADS, I, P, 2, 1e-12, "gelu"), t);
    }

    /** {@code n} random sequences of 4 to 20 token ids. */
    static List<int[]> tinyCalibration(long seed, int n) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] s = new int[4 + r.nextInt(17)];
            for (int j = 0; j < s.length; j++) s[j] = r.nextInt(V);
            out.add(s);
        }
        return out;
    }

    static FloatTensor gauss(Random r, double scale, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * scale);
        return new FloatTensor(shape, v);
    }

    static FloatTensor ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return new FloatTensor(new int[] {n}, v);
    }

    private static LoadedModel miniLm;

    /** all-MiniLM-L6-v2, loaded once per test JVM. */
    static synchronized LoadedModel miniLm() {
        if (miniLm == null) miniLm = ModelLoader.load("default");
        return miniLm;
    }

    static Path sharedData() {
        return Path.of(System.getProperty("lacuna.shared.data", "../shared/data"));
    }

    /** The first {@code n} WikiText-2 validation paragraphs of at least {@code minWords} words (headings skipped). */
    static List<String> wikitextParagraphs(int n, int minWords) {
        Path f = sharedData().resolve("text/wikitext2-valid.txt");
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f)) {
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("=")) continue;
                if (s.split("\\s+").length < minWords) continue;
                out.add(s);
                if (out.size() == n) break;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
