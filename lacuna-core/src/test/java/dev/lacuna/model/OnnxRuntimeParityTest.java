// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model;

import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.eval.Vectors;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.peer.OrtPeer;
import dev.lacuna.tokenizer.Encoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
/** Lacuna's forward pass against ONNX Runtime on the same ONNX files and real sentences. */
class OnnxRuntimeParityTest {
    static Parallel par;

    @BeforeAll
    static void setUp() {
        par = new Parallel(2);
    }

    @AfterAll
    static void tearDown() {
        par.close();
    }

    @Test
    void miniLmMatchesOnnxRuntimeOnStsbDev() {
        LoadedModel lm = ModelLoader.load("default");
        List<String> texts = TestData.stsbDevSentences(256);
        assertTrue(texts.size() >= 200);
        List<Encoding> enc = lm.encoder().tokenize(texts);
        double minCos = 1, maxDiff = 0;
        try (OrtPeer peer = lm.peer("onnxruntime", 2)) {
            for (int b = 0; b < enc.size(); b += 16) {
                int e = Math.min(enc.size(), b + 16);
                int[][] seqs = new int[e - b][];
                for (int i = b; i < e; i++) seqs[i - b] = enc.get(i).ids();
                Batch batch = Batch.of(seqs);
                float[] hidden = lm.encoder().model().forward(par, batch, Hooks.NONE);
                float[][][] ref = peer.engine().hidden(batch);
                int c = lm.encoder().model().config().hiddenSize();
                for (int s = 0; s < batch.sequences(); s++) {
                    for (int t = 0; t < batch.length(s); t++) {
                        int row = batch.seqStarts()[s] + t;
                        for (int j = 0; j < c; j++) maxDiff = Math.max(maxDiff, Math.abs(hidden[row * c + j] - ref[s][t][j]));
                    }
                }
                float[][] ours = lm.encoder().pooling().pool(hidden, c, batch.seqStarts(), true);
                float[][] theirs = peer.engine().embed(batch, lm.encoder().pooling());
                for (int s = 0; s < ours.length; s++) minCos = Math.min(minCos, Vectors.cosine(ours[s], theirs[s]));
            }
        }
        System.out.printf("MiniLM parity on %d sentences: min cosine %.8f, last_hidden_state max |diff| %.2e%n", texts.size(), minCos, maxDiff);
        assertTrue(minCos >= 0.99999, "min cosine " + minCos);
        assertTrue(maxDiff <= 1e-3, "max abs diff " + maxDiff);
    }

    @Test
    void bgeSmallInt8IsCloseToOnnxRuntimeInt8() {
        LoadedModel lm = ModelLoader.load("bge-small-q");
        List<String> texts = TestData.stsbDevSentences(256);
        float[][] ours = lm.encoder().embed(par, texts, 16, null);
        float[][] theirs;
        try (OrtPeer peer = lm.peer("onnxruntime", 2)) {
            theirs = peer.embedder(lm.encoder(), 16).apply(texts);
        }
        double minCos = 1, sum = 0;
        for (int i = 0; i < ours.length; i++) {
            double c = Vectors.cosine(ours[i], theirs[i]);
            minCos = Math.min(minCos, c);
            sum += c;
        }
        System.out.printf("bge-small-q vs ONNX Runtime int8 on %d sentences: min cosine %.6f, mean %.6f%n", texts.size(), minCos, sum / ours.length);
        assertTrue(minCos >= 0.99, "min cosine " + minCos);
    }
}
