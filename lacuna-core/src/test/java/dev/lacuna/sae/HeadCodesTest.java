// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadCodesTest {
    @Test
    void scoresOnHandMadeHistograms() {
        double[][] h = {{1, 0}, {0.9, 0.1}, {0.8, 0.2}, {0, 1}, {0.1, 0.9}, {0.2, 0.8}};
        assertEquals(1.0, HeadCodes.looAccuracy(h, 3), 1e-12);
        assertEquals(0.8, HeadCodes.tv(h, 3), 1e-12); // mean pos (0.9, 0.1) vs neg (0.1, 0.9)
        double[][] same = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        assertEquals(0.0, HeadCodes.tv(same, 2), 1e-12);
    }

    /** Positives are questions, negatives statements about the same scenes: some head must tell them apart, not all heads. */
    @Test
    void someHeadsSeparateQuestionsFromStatements() {
        List<String> s = TestData.stsbDevSentences(60);
        List<String> pos = new ArrayList<>(), neg = new ArrayList<>();
        for (int i = 0; i < 30; i++) pos.add("Why is it that " + s.get(i).toLowerCase().replaceAll("[.!]+$", "") + "?");
        for (int i = 30; i < 60; i++) neg.add(s.get(i));
        try (Parallel par = new Parallel(2)) {
            List<HeadCodes.HeadScore> r = HeadCodes.score(par, ModelLoader.load("default").encoder(), pos, neg, 8, 40, 1, null);
            assertEquals(72, r.size());
            assertTrue(r.get(0).accuracy() >= 0.95, "best head " + r.get(0));
            assertTrue(r.get(r.size() - 1).accuracy() < r.get(0).accuracy(), "every head separates equally: the scores do not discriminate");
            for (HeadCodes.HeadScore h : r) assertTrue(h.tv() >= 0 && h.tv() <= 1, h.toString());
        }
    }
}
