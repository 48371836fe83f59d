// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.SparsityPattern;
import dev.lacuna.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Pruning methods on all-MiniLM-L6-v2 with real calibration text (WikiText-2 validation), on the
 * projections of layer 0 only, whose inputs need one partial forward pass.
 */
class RealModelPruneTest {
    private static Parallel par;
    private static BertModel model;
    private static Map<String, InputStats> stats;
    private static List<int[]> calibration;

    @BeforeAll
    static void capture() {
        par = new Parallel(2);
        SentenceEncoder enc = PruneFixtures.miniLm().encoder();
        model = enc.model();
        Tokenizer tok = enc.tokenizer().withMaxLength(128);
        calibration = new ArrayList<>();
        for (String p : PruneFixtures.wikitextParagraphs(16, 40)) calibration.add(tok.encode(p).ids());
        long t0 = System.nanoTime();
        stats = LayerCapture.capture(par, model, 0, Set.of("resid_pre", "attn_z", "resid_mid", "mlp_act"), true,
                CalibrationSet.of(calibration), null);
        System.out.printf("captured layer 0 over %d tokens in %.1f s%n", stats.get("resid_pre").tokens(), (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void close() {
        par.close();
    }

    private static LayerTask task(String name, double s, SparsityPattern p) {
        Linear l = model.linears().get(name);
        return new LayerTask(name, l.weight().data(), l.outFeatures(), l.inFeatures(), stats.get(LayerCapture.inputPoint(name)), s, p, 1);
    }

    private static double error(LayerTask t, PrunedLayer pl) {
        return t.stats().relativeError(par, t.weight(), pl.weight(), t.rows());
    }

    @Test
    void sparseGptReconstructsBetterThanWandaAndMagnitude() {
        for (String name : new String[] {"encoder.layer.0.attention.self.query", "encoder.layer.0.output.dense"}) {
            for (SparsityPattern p : new SparsityPattern[] {SparsityPattern.UNSTRUCTURED, new SparsityPattern.NofM(2, 4)}) {
                LayerTask t = task(name, 0.5, p);
                long t0 = System.nanoTime();
                PrunedLayer sg = new SparseGptPruner().prune(par, t);
                double secs = (System.nanoTime() - t0) / 1e9;
                double eSg = error(t, sg);
                double eWanda = error(t, new WandaPruner().prune(par, t));
                double eMag = error(t, new MagnitudePruner().prune(par, t));
                System.out.printf("%s %s: magnitude %.4f wanda %.4f sparsegpt %.4f (%.1f s)%n", name, p.spelling(), eMag, eWanda, eSg, secs);
                assertEquals(0.5, sg.mask().sparsity(), 0, name + " " + p.spelling());
                assertTrue(eSg < eWanda, name + " " + p.spelling() + ": sparsegpt " + eSg + " vs wanda " + eWanda);
                assertTrue(eSg < eMag, name + " " + p.spelling() + ": sparsegpt " + eSg + " vs magnitude " + eMag);
            }
        }
    }

    @Test
    void sparseGptAtZeroSparsityLeavesWeightsUnchanged() {
        LayerTask t = task("encoder.layer.0.intermediate.dense", 0, SparsityPattern.UNSTRUCTURED);
        PrunedLayer pl = new SparseGptPruner().prune(par, t);
        assertArrayEquals(t.weight(), pl.weight());
        assertEquals(0, pl.mask().prunedCount());
        assertEquals(0, error(t, pl));
    }

    /** ||(W - W') E[x]||², the error of the mean output that DSnoT drives down. */
    private static double meanOutputError(LayerTask t, float[] w2) {
        double total = 0;
        for (int r = 0; r < t.rows(); r++) {
            double e = 0;
            for (int j = 0; j < t.cols(); j++) e += (t.weight()[r * t.cols() + j] - w2[r * t.cols() + j]) * t.stats().mean(j);
            total += e * e;
        }
        return total;
    }

    @Test
    void dsnotShrinksTheMeanOutputErrorKeepingCounts() {
        for (SparsityPattern p : new SparsityPattern[] {SparsityPattern.UNSTRUCTURED, new SparsityPattern.NofM(2, 4)}) {
            LayerTask t = task("encoder.layer.0.intermediate.dense", p instanceof SparsityPattern.NofM ? 0.5 : 0.6, p);
            PrunedLayer wanda = new WandaPruner().prune(par, t);
            Mask refined = new DsnotRefiner(50, 0.1).refine(par, t.weight(), t.rows(), t.cols(), wanda.mask(), t.stats(), t.pattern());
            for (int r = 0; r < t.rows(); r++) assertEquals(wanda.mask().keptInRow(r), refined.keptInRow(r), "row " + r);
            if (p instanceof SparsityPattern.NofM nm) assertTrue(refined.isNofM(nm.n(), nm.m()));
            float[] w1 = refined.apply(t.weight());
            double m0 = meanOutputError(t, wanda.weight()), m1 = meanOutputError(t, w1);
            double e0 = error(t, wanda), e1 = error(t, new PrunedLayer(refined, w1));
            System.out.printf("intermediate %s: mean-output error wanda %.5f, +dsnot %.5f; reconstruction %.4f, +dsnot %.4f%n",
                    p.spelling(), m0, m1, e0, e1);
            // DSnoT trades a little squared error for a much smaller mean error (N:M swaps are confined to groups)
            assertTrue(m1 < (p instanceof SparsityPattern.NofM ? 0.8 : 0.1) * m0, p.spelling() + ": mean-output error " + m0 + " -> " + m1);
            assertTrue(e1 < e0 * 1.25, p.spelling() + ": reconstruction error " + e0 + " -> " + e1);
        }
    }
}
