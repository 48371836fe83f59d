// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.prune.DistillModifier;
import dev.lacuna.prune.GradualPruneModifier;
import dev.lacuna.prune.Mask;
import dev.lacuna.prune.OneShotPruner;
import dev.lacuna.prune.PruneResult;
import dev.lacuna.prune.Recipe;
import dev.lacuna.tensor.FloatTensor;
import dev.lacuna.train.LrSchedule;
import dev.lacuna.train.TinyBerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distill loop on a tiny random BERT: the loss falls, masks hold, and a resumed run is the uninterrupted one bit for bit. */
class DistillerTest {
    private static final BertConfig CFG = TinyBerts.config(16, 2, 32);
    private static final BertModel TEACHER = TinyBerts.random(CFG, 7);
    private static final Recipe PRUNE = Recipe.parse("- prune: {method: magnitude, sparsity: 0.6}\n");

    private static List<int[]> texts(int n, long seed) {
        Random r = new Random(seed);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] t = new int[3 + r.nextInt(10)];
            for (int j = 0; j < t.length; j++) t[j] = r.nextInt(CFG.vocabSize());
            out.add(t);
        }
        return out;
    }

    private static DistillModifier cfg(long steps, List<DistillModifier.Loss> losses) {
        return new DistillModifier(null, steps, losses, 3e-3, 4, 0.1, LrSchedule.Shape.LINEAR, 1.0, 0.01, 3, 32, false);
    }

    private static Distiller distiller(PruneResult pr, DistillModifier c) {
        return new Distiller(TEACHER, Pooling.MEAN, pr.model(), pr.masks(), c, texts(40, 11));
    }

    @Test
    void replannedStepsFillWhatIsLeftOfTheBudget() {
        // 20 steps in 50 s of a 600 s budget, 2 s per step, 30 s of evaluations left: 20 + 260
        assertEquals(280, Distiller.replannedSteps(20, 50, 600, 2.0, 30, null));
        assertEquals(100, Distiller.replannedSteps(20, 50, 600, 2.0, 30, 100L), "never more than steps: when both are given");
        assertEquals(21, Distiller.replannedSteps(20, 700, 600, 2.0, 0, null), "at least one more step when the budget is spent");
    }

    @Test
    void aTimeBudgetIsReplannedAfterItsWarmUpAndKept() {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        // a tiny model: the probe's two cold steps are far slower than the warm loop's, so the plan grows
        DistillModifier c = new DistillModifier(0.05, 5000L, List.of(DistillModifier.Loss.COSINE), 3e-3, 4, 0.1, LrSchedule.Shape.LINEAR,
                1.0, 0.01, 3, 32, false);
        Distiller.Result r = distiller(pr, c).run(Parallel.serial(), new Distiller.Options(null, null, 1e9, 0, "b"), null);
        assertTrue(r.plannedSteps() > Distiller.REPLAN_AT, "planned " + r.plannedSteps());
        assertTrue(r.steps() <= r.plannedSteps());
        assertEquals(r.steps(), r.log().steps().size());
        double last = r.log().steps().get(r.log().steps().size() - 1).lr();
        if (r.steps() == r.plannedSteps()) assertTrue(last < 0.05 * 3e-3, "the linear schedule ends near 0 at the re-made plan: lr " + last);
    }

    @Test
    void lossFallsAndPrunedWeightsStayZero() {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        Distiller.Result r = distiller(pr, cfg(60, List.of(DistillModifier.Loss.COSINE, DistillModifier.Loss.SQUAREHEAD)))
                .run(Parallel.serial(), new Distiller.Options(null, null, 1e9, 0, "t"), null);
        assertEquals(60, r.steps());
        List<TrainingLog.Step> s = r.log().steps();
        double first = s.subList(0, 10).stream().mapToDouble(TrainingLog.Step::loss).average().orElseThrow();
        double last = s.subList(50, 60).stream().mapToDouble(TrainingLog.Step::loss).average().orElseThrow();
        assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
        Map<String, FloatTensor> after = r.model().tensors();
        pr.masks().forEach((name, mask) -> {
            float[] w = after.get(name + ".weight").data();
            float[] before = pr.model().tensors().get(name + ".weight").data();
            boolean changed = false;
            for (int i = 0; i < w.length; i++) {
                if (!mask.isKept(i)) assertEquals(0f, w[i], name + " pruned entry " + i);
                else changed |= w[i] != before[i];
            }
            assertTrue(changed, name + " did not train");
        });
        // the embedding tables are frozen by default, the teacher and the pruned input are untouched
        assertArrayEquals(TEACHER.tensors().get("embeddings.word_embeddings.weight").data(), after.get("embeddings.word_embeddings.weight").data());
        assertArrayEquals(TEACHER.tensors().get("encoder.layer.0.output.LayerNorm.bias").data(),
                pr.model().tensors().get("encoder.layer.0.output.LayerNorm.bias").data());
        assertFalse(java.util.Arrays.equals(TEACHER.tensors().get("encoder.layer.0.output.LayerNorm.bias").data(),
                after.get("encoder.layer.0.output.LayerNorm.bias").data()));
    }

    @Test
    void resumedRunIsTheUninterruptedOneBitForBit(@TempDir Path dir) {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        DistillModifier c = cfg(9, List.of(DistillModifier.Loss.EMBEDDING, DistillModifier.Loss.SQUAREHEAD));
        Distiller.Result whole;
        try (Parallel par = new Parallel(2)) {
            whole = distiller(pr, c).run(par, new Distiller.Options(null, null, 1e9, 3, "id"), this::quality);
        }
        Path ck = dir.resolve("ck");
        Distiller.Result first = distiller(pr, c).run(Parallel.serial(), new Distiller.Options(ck, null, 1e9, 3, "id", 4), this::quality);
        assertEquals(4, first.steps());
        assertTrue(Files.exists(ck.resolve("state.json")));
        Distiller.Result rest;
        try (Parallel par = new Parallel(3)) {
            rest = distiller(pr, c).run(par, new Distiller.Options(ck, ck, 1e9, 3, "id"), this::quality);
        }
        assertEquals(9, rest.steps());
        Map<String, FloatTensor> a = whole.model().tensors(), b = rest.model().tensors();
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
        assertEquals(whole.log().withoutTimes(), rest.log().withoutTimes());
    }

    private Map<String, Double> quality(BertModel m) {
        return Map.of("sum", (double) m.tensors().get("encoder.layer.1.output.dense.weight").data()[3]);
    }

    @Test
    void resumeRefusesAnotherRecipeOrAMissingCheckpoint(@TempDir Path dir) throws Exception {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        DistillModifier c = cfg(4, List.of(DistillModifier.Loss.EMBEDDING));
        Path ck = dir.resolve("ck");
        distiller(pr, c).run(Parallel.serial(), new Distiller.Options(ck, null, 1e9, 0, "recipe A"), null);
        LacunaException e = assertThrows(LacunaException.class, () -> Distiller.checkResumable(ck, "recipe B"));
        assertTrue(e.getMessage().contains("another model or recipe"), e.getMessage());
        e = assertThrows(LacunaException.class, () -> Distiller.checkResumable(dir.resolve("none"), "recipe A"));
        assertTrue(e.getMessage().contains("no such checkpoint"), e.getMessage());
        // a checkpoint of another mask: the same identity string, weights where this mask prunes
        PruneResult other = OneShotPruner.prune(TEACHER, Recipe.parse("- prune: {method: random, sparsity: 0.6, seed: 5}\n"), List.of(),
                Parallel.serial(), null);
        e = assertThrows(LacunaException.class, () -> distiller(other, c).run(Parallel.serial(), new Distiller.Options(ck, ck, 1e9, 0, "recipe A"), null));
        assertTrue(e.getMessage().contains("mask prunes"), e.getMessage());
        Files.writeString(ck.resolve("state.json"), "{\"format\": 1, ");
        e = assertThrows(LacunaException.class, () -> Distiller.checkResumable(ck, "recipe A"));
        assertTrue(e.getMessage().contains("state.json"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void gradualPruningFollowsTheCubicScheduleAndResumes(@TempDir Path dir) {
        Recipe r = Recipe.parse("- gradual: {sparsity: 0.6, init: 0.1, start: 0.1, end: 0.6, every: 0.1}\n"
                + "- distill: {steps: 20, losses: [cosine], lr: 3e-3, batch: 4}\n");
        GradualPruneModifier g = r.gradual();
        // s(t) = s_f + (s_i − s_f)(1 − p)³ with p on the grid of 'every' between start and end
        assertEquals(0.1, g.sparsityAt(1, 20), 1e-12);                               // before start
        assertEquals(0.1, g.sparsityAt(2, 20), 1e-12);                               // f = 0.1: j = 0
        assertEquals(0.6 - 0.5 * Math.pow(1 - 0.2, 3), g.sparsityAt(4, 20), 1e-12);   // f = 0.2: j = 1, p = 0.1/0.5
        assertEquals(0.6 - 0.5 * Math.pow(1 - 0.4, 3), g.sparsityAt(7, 20), 1e-12);   // f = 0.35: j = 2
        assertEquals(0.6, g.sparsityAt(12, 20), 1e-12);                              // f = 0.6 = end
        assertEquals(0.6, g.sparsityAt(20, 20), 1e-12);
        PruneResult none = OneShotPruner.prune(TEACHER, new Recipe("none", "", List.of(), r.gradual(), r.distill(), null), List.of(),
                Parallel.serial(), null);
        assertTrue(none.masks().isEmpty());
        Path ck = dir.resolve("ck");
        Distiller.Result half = new Distiller(TEACHER, Pooling.MEAN, none.model(), none.masks(), r.distill(), g, texts(40, 11))
                .run(Parallel.serial(), new Distiller.Options(ck, null, 1e9, 0, "g", 7), null);
        Distiller.Result whole = new Distiller(TEACHER, Pooling.MEAN, none.model(), none.masks(), r.distill(), g, texts(40, 11))
                .run(Parallel.serial(), new Distiller.Options(null, null, 1e9, 0, "g"), null);
        Distiller.Result resumed = new Distiller(TEACHER, Pooling.MEAN, none.model(), none.masks(), r.distill(), g, texts(40, 11))
                .run(Parallel.serial(), new Distiller.Options(ck, ck, 1e9, 0, "g"), null);
        assertEquals(2 * CFG.numHiddenLayers() * 3, whole.masks().size(), "every projection is a gradual target");
        whole.masks().forEach((name, mask) -> {
            assertEquals(Math.round(0.6 * mask.size()), mask.prunedCount(), name);
            Mask mid = half.masks().get(name);
            assertEquals(Math.round(g.sparsityAt(7, 20) * mid.size()), mid.prunedCount(), name + " after 7 steps");
            float[] w = whole.model().tensors().get(name + ".weight").data();
            float[] wr = resumed.model().tensors().get(name + ".weight").data();
            assertArrayEquals(w, wr, name + " resumed");
            assertEquals(mask, resumed.masks().get(name));
            for (int i = 0; i < w.length; i++) {
                if (!mask.isKept(i)) assertEquals(0f, w[i]);
                assertTrue(!mask.isKept(i) || mid.isKept(i), name + ": a pruned weight came back at " + i);
            }
        });
    }

    @Test
    void srsteKeepsTheNofMPatternWhileMasksMoveAndResumes(@TempDir Path dir) {
        Recipe r = Recipe.parse("- prune: {method: magnitude, pattern: \"2:4\"}\n"
                + "- distill: {steps: 12, losses: [cosine, squarehead], lr: 1e-2, batch: 4, masks: sr-ste}\n");
        assertEquals(new dev.lacuna.sparse.SparsityPattern.NofM(2, 4), r.srstePattern());
        PruneResult pr = OneShotPruner.prune(TEACHER, r, List.of(), Parallel.serial(), null);
        java.util.function.Supplier<Distiller> d = () -> new Distiller(TEACHER, Pooling.MEAN, pr.model(), pr.masks(), r.distill(), null,
                r.srstePattern(), texts(40, 11));
        Distiller.Result whole = d.get().run(Parallel.serial(), new Distiller.Options(null, null, 1e9, 0, "s"), null);
        Path ck = dir.resolve("ck");
        d.get().run(Parallel.serial(), new Distiller.Options(ck, null, 1e9, 0, "s", 5), null);
        Distiller.Result resumed = d.get().run(Parallel.serial(), new Distiller.Options(ck, ck, 1e9, 0, "s"), null);
        int moved = 0;
        for (Map.Entry<String, Mask> e : whole.masks().entrySet()) {
            Mask mask = e.getValue();
            assertTrue(mask.isNofM(2, 4), e.getKey());
            assertEquals(mask.size() / 2, mask.prunedCount(), e.getKey());
            if (!mask.equals(pr.masks().get(e.getKey()))) moved++;
            float[] w = whole.model().tensors().get(e.getKey() + ".weight").data();
            for (int i = 0; i < w.length; i++) assertEquals(!mask.isKept(i), w[i] == 0f, e.getKey() + " entry " + i);
            assertArrayEquals(w, resumed.model().tensors().get(e.getKey() + ".weight").data(), e.getKey() + " resumed");
            assertEquals(mask, resumed.masks().get(e.getKey()));
        }
        assertTrue(moved > 0, "straight-through gradients let some pruned weights regrow");
        LacunaException e = assertThrows(LacunaException.class, () -> Recipe.parse("- prune: {method: magnitude, sparsity: 0.5}\n"
                + "- distill: {steps: 3, masks: sr-ste}\n"));
        assertTrue(e.getMessage().contains("N:M"), e.getMessage());
    }

    @Test
    void identityDependsOnRecipeAndText() {
        String a = Distiller.identity("w", "r1", texts(5, 1));
        assertEquals(a, Distiller.identity("w", "r1", texts(5, 1)));
        assertNotEquals(a, Distiller.identity("w", "r2", texts(5, 1)));
        assertNotEquals(a, Distiller.identity("w", "r1", texts(5, 2)));
        assertNotEquals(a, Distiller.identity("v", "r1", texts(5, 1)));
    }

    @Test
    void batchOfAStepDependsOnItsNumberAlone() {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        Distiller d = distiller(pr, cfg(4, List.of(DistillModifier.Loss.EMBEDDING)));
        // 40 sequences, batch 4: step 11 starts epoch 1, whose order differs from epoch 0's
        assertArrayEquals(d.batch(11).ids(), d.batch(11).ids());
        assertFalse(java.util.Arrays.equals(d.order(0), d.order(1)));
        int[] o = d.order(1).clone();
        java.util.Arrays.sort(o);
        for (int i = 0; i < o.length; i++) assertEquals(i, o[i]);
    }

    private static ScoredPairs pairs(int n, long seed) {
        List<int[]> a = texts(n, seed), b = texts(n, seed + 1);
        double[] y = new double[n];
        Random r = new Random(seed + 2);
        for (int i = 0; i < n; i++) y[i] = r.nextInt(6);
        return new ScoredPairs(a, b, y);
    }

    @Test
    void cosentNeedsPairsAndAppendsThemToEachBatch() {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        DistillModifier c = cfg(4, List.of(DistillModifier.Loss.COSINE, DistillModifier.Loss.COSENT));
        LacunaException e = assertThrows(LacunaException.class, () -> distiller(pr, c));
        assertEquals("distill: the cosent loss needs scored pairs: give --train-stsb FILE", e.getMessage());
        assertThrows(LacunaException.class, () -> new Distiller(TEACHER, Pooling.MEAN, pr.model(), pr.masks(), c, null, null, texts(40, 11), pairs(1, 5)),
                "fewer pairs than a step takes");
        ScoredPairs sp = pairs(9, 5);
        Distiller d = new Distiller(TEACHER, Pooling.MEAN, pr.model(), pr.masks(), c, null, null, texts(40, 11), sp);
        assertEquals(2, c.cosentPairs());
        // step 6 takes pairs 10, 11 of the pairs' order: epoch 1's items 1 and 2, after the 4 texts of step 6
        dev.lacuna.model.Batch b = d.batch(6), plain = distiller(pr, cfg(4, List.of(DistillModifier.Loss.COSINE))).batch(6);
        assertEquals(4 + 4, b.sequences());
        assertArrayEquals(java.util.Arrays.copyOf(b.ids(), plain.tokens()), plain.ids(), "the texts come first, as without pairs");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2; i++) {
            int[] first = java.util.Arrays.copyOfRange(b.ids(), b.seqStarts()[4 + 2 * i], b.seqStarts()[4 + 2 * i] + b.length(4 + 2 * i));
            int[] second = java.util.Arrays.copyOfRange(b.ids(), b.seqStarts()[5 + 2 * i], b.seqStarts()[5 + 2 * i] + b.length(5 + 2 * i));
            int p = -1;
            for (int k = 0; k < sp.size(); k++) if (java.util.Arrays.equals(sp.first().get(k), first)) p = k;
            assertTrue(p >= 0, "row " + (4 + 2 * i) + " is a pair's first sentence");
            assertArrayEquals(sp.second().get(p), second, "and the next row its second");
            assertTrue(seen.add(java.util.Arrays.toString(first)));
        }
        assertNotEquals(Distiller.identity("w", "r", texts(5, 1)), Distiller.identity("w", "r", texts(5, 1), sp));
        assertNotEquals(Distiller.identity("w", "r", texts(5, 1), pairs(9, 6)), Distiller.identity("w", "r", texts(5, 1), sp));
    }

    @Test
    void cosentTermFallsAndResumesBitForBit(@TempDir Path dir) {
        PruneResult pr = OneShotPruner.prune(TEACHER, PRUNE, List.of(), Parallel.serial(), null);
        DistillModifier c = new DistillModifier(null, 60L, List.of(DistillModifier.Loss.COSINE, DistillModifier.Loss.COSENT), 3e-3, 8, 0.1,
                LrSchedule.Shape.LINEAR, 1.0, 0.01, 3, 32, false, DistillModifier.MaskTraining.FIXED, DistillModifier.DEFAULT_SRSTE_DECAY, 1.0);
        ScoredPairs sp = pairs(8, 5);
        java.util.function.Supplier<Distiller> make = () -> new Distiller(TEACHER, Pooling.MEAN, pr.model(), pr.masks(), c, null, null, texts(40, 11), sp);
        Distiller.Result r = make.get().run(Parallel.serial(), new Distiller.Options(null, null, 1e9, 0, "c"), null);
        List<TrainingLog.Step> s = r.log().steps();
        double first = s.subList(0, 10).stream().mapToDouble(x -> x.terms().get("cosent")).average().orElseThrow();
        double last = s.subList(50, 60).stream().mapToDouble(x -> x.terms().get("cosent")).average().orElseThrow();
        assertTrue(last < 0.5 * first, "cosent " + first + " -> " + last);
        TrainingLog.Step one = s.get(0);
        assertEquals(one.terms().get("cosine") + one.terms().get("cosent"), one.loss(), 1e-12, "weight 1: the terms sum");
        Path ck = dir.resolve("ck");
        make.get().run(Parallel.serial(), new Distiller.Options(ck, null, 1e9, 0, "c", 25), null);
        Distiller.Result rest = make.get().run(Parallel.serial(), new Distiller.Options(ck, ck, 1e9, 0, "c"), null);
        Map<String, FloatTensor> a = r.model().tensors(), b = rest.model().tensors();
        for (String name : a.keySet()) assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }
}
