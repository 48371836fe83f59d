// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.train.AdamW;
import dev.lacuna.train.GradientClip;
import dev.lacuna.train.LrSchedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Trains a {@link TermWeightHead} (the encoder stays frozen) by distillation from a heterogeneous teacher
 * ensemble on pseudo-queries made from the corpus ({@link PseudoQueries}), after Geng et al. 2024,
 * "Towards Competitive Search Relevance For Inference-Free Learned Sparse Retrievers":
 * <ul>
 * <li>teachers: the dense siamese model (cosine of the query and document embeddings) and BM25
 *     ({@link Bm25Scorer}), each min-max normalised over the query's candidates, then averaged with
 *     weight {@code denseWeight}: the paper's "normalise, then aggregate";</li>
 * <li>candidates per query: each teacher's top {@code hardNegatives} over the whole corpus and
 *     {@code randomNegatives} random documents, and its source document only when {@code withSource}: the
 *     source holds the pseudo-query verbatim, so with it the teachers' mass sits on one trivial match and
 *     the student learns to find the text a query was cut from, not to rank documents that share part of
 *     it, as real queries' relevant documents do;</li>
 * <li>student: score(q, d) = Σ_{t in q} count·idf(t)·w_d(t), the inference-free query;</li>
 * <li>loss: KL(softmax(teacher/τ_t) ‖ softmax(student/τ_s)) over the candidates, averaged over the batch,
 *     plus λ·IDF-aware FLOPS, Σ_t c_t (mean_d w_d(t))² over the batch's documents with c_t = exp(−idf(t)) =
 *     (df + 0.5)/(N + 1): frequent, low-IDF terms are penalised most and informative ones hardly at all.
 *     The paper's exact IDF weighting is in its full text, not its abstract; this c_t is our reading.</li>
 * </ul>
 * AdamW ({@code dev.lacuna.train}), linear warm-up and decay, gradient norm clipped at 1; every tenth of
 * the run the held-out pseudo-queries' loss is measured and the best θ is kept (selection on
 * pseudo-queries only). Seeded and single-threaded: the same inputs give the same head.
 *
 * <p>Shapes: N documents, C hidden width, P = C + 4 parameters, M candidates of a query.
 */
public final class TermWeightTrainer {
    /**
     * @param steps           optimiser steps
     * @param batch           pseudo-queries per step
     * @param lr              peak learning rate
     * @param flops           λ of the IDF-aware FLOPS term
     * @param teacherTemp     τ_t on the aggregated normalised teacher scores (in [0, 1])
     * @param studentTemp     τ_s on the student's scores
     * @param denseWeight     weight of the dense teacher in the aggregate (1 − it: BM25)
     * @param hardNegatives   top documents taken from each teacher's ranking
     * @param randomNegatives random documents per query
     * @param maxQueries      most pseudo-queries used (a seeded sample)
     * @param holdout         fraction of pseudo-queries held out for selection
     * @param maxSeconds      stop early after this long (0: no limit)
     * @param withSource      whether the document a pseudo-query was made from is among its candidates
     */
    public record Settings(int steps, int batch, double lr, double flops, double teacherTemp, double studentTemp,
                           double denseWeight, int hardNegatives, int randomNegatives, int maxQueries, double holdout,
                           double maxSeconds, long seed, boolean withSource) {
        public Settings {
            if (steps < 1) throw new LacunaException("--sparse-train-steps must be >= 1, got " + steps);
            if (batch < 1) throw new LacunaException("sparse head training: batch must be >= 1, got " + batch);
            if (!(lr > 0)) throw new LacunaException("sparse head training: lr must be > 0, got " + lr);
            if (!(flops >= 0)) throw new LacunaException("sparse head training: flops weight must be >= 0, got " + flops);
            if (!(teacherTemp > 0) || !(studentTemp > 0)) throw new LacunaException("sparse head training: temperatures must be > 0");
            if (!(denseWeight >= 0 && denseWeight <= 1)) throw new LacunaException("sparse head training: dense weight must be in [0, 1], got " + denseWeight);
            if (hardNegatives < 0 || randomNegatives < 0 || hardNegatives + randomNegatives < 1) {
                throw new LacunaException("sparse head training: need at least one negative per query");
            }
            if (maxQueries < 2) throw new LacunaException("--sparse-train-queries must be >= 2, got " + maxQueries);
            if (!(holdout > 0 && holdout < 1)) throw new LacunaException("sparse head training: holdout must be in (0, 1), got " + holdout);
            if (!(maxSeconds >= 0)) throw new LacunaException("--sparse-train-minutes must be >= 0, got " + maxSeconds / 60);
        }

        public static Settings defaults(long seed) {
            return new Settings(1500, 32, 0.02, 0.01, 0.1, 1.0, 0.5, 10, 5, 6000, 0.1, 0, seed, false);
        }

        public Settings withStepsAndLimit(int s, double seconds) {
            return new Settings(s, batch, lr, flops, teacherTemp, studentTemp, denseWeight, hardNegatives, randomNegatives, maxQueries, holdout, seconds, seed, withSource);
        }

        public Settings withMaxQueries(int q) {
            return new Settings(steps, batch, lr, flops, teacherTemp, studentTemp, denseWeight, hardNegatives, randomNegatives, q, holdout, maxSeconds, seed, withSource);
        }

        public Settings withSource(boolean w) {
            return new Settings(steps, batch, lr, flops, teacherTemp, studentTemp, denseWeight, hardNegatives, randomNegatives, maxQueries, holdout, maxSeconds, seed, w);
        }
    }

    /**
     * One training query.
     *
     * @param terms  distinct vocabulary ids, ascending
     * @param qw     [terms] count x idf of each
     * @param cand   [M] candidate documents
     * @param target [M] the teachers' distribution over the candidates
     */
    record Example(int[] terms, double[] qw, int[] cand, double[] target) {}

    /** What training sees: every document's token features, the term statistics, and the examples. */
    record Problem(DocTokens[] docs, float[] idf, double avgLen, double k1, double b, StemVariants variants, List<Example> examples) {}

    /** The trained head and how training went (held-out loss at the start and of the kept θ). */
    public record Result(TermWeightHead head, int queries, int steps, double initialHeldOut, double bestHeldOut, int bestStep, double seconds) {}

    private TermWeightTrainer() {}

    /**
     * Builds the training examples: pseudo-queries from {@code docs}, each teacher's scores over the corpus.
     *
     * @param tokens   [N] token features of each document
     * @param dense    [N][C] document embeddings (L2-normalised)
     * @param termIds  a query's vocabulary ids (special tokens and unseen terms already dropped)
     * @param embed    the encoder on a list of texts, L2-normalised [n][C]
     */
    static Problem prepare(List<BeirDocument> docs, DocTokens[] tokens, float[][] dense, float[] idf, double avgLen, double k1, double b, StemVariants variants,
                           Function<String, int[]> termIds, Function<List<String>, float[][]> embed, Settings s) {
        List<PseudoQueries.Query> qs = new ArrayList<>(PseudoQueries.of(docs, s.seed()));
        Collections.shuffle(qs, new Random(s.seed()));
        if (qs.size() > s.maxQueries()) qs = qs.subList(0, s.maxQueries());
        List<String> texts = new ArrayList<>(qs.size());
        for (PseudoQueries.Query q : qs) texts.add(q.text());
        float[][] qv = embed.apply(texts);
        List<String> full = new ArrayList<>(docs.size());
        for (BeirDocument d : docs) full.add(d.fullText());
        Bm25Scorer bm25 = new Bm25Scorer(full);
        int n = docs.size();
        Random r = new Random(s.seed() ^ 0x5DEECE66DL);
        List<Example> out = new ArrayList<>(qs.size());
        try (Progress p = Progress.of("teacher scores", qs.size(), 0)) {
            for (int qi = 0; qi < qs.size(); qi++) {
                p.advance(1);
                int[] ids = termIds.apply(qs.get(qi).text());
                if (ids.length == 0) continue;
                int[] sorted = ids.clone();
                Arrays.sort(sorted);
                int m = 0;
                double[] qw = new double[sorted.length];
                for (int i = 0; i < sorted.length; i++) {
                    if (i > 0 && sorted[i] == sorted[i - 1]) {
                        qw[m - 1] += idf[sorted[i]];
                    } else {
                        sorted[m] = sorted[i];
                        qw[m++] = idf[sorted[i]];
                    }
                }
                double[] ds = new double[n];
                for (int d = 0; d < n; d++) ds[d] = RetrievalIndex.dot(qv[qi], dense[d]);
                double[] bs = bm25.scores(qs.get(qi).text());
                int src = qs.get(qi).doc();
                Set<Integer> cand = new LinkedHashSet<>();
                if (s.withSource()) cand.add(src);
                for (double[] teacher : new double[][] {ds, bs}) {
                    int taken = 0;
                    for (int d : top(teacher, s.hardNegatives() + 1)) {
                        if (d != src && taken < s.hardNegatives()) {
                            cand.add(d);
                            taken++;
                        }
                    }
                }
                for (int k = 0; k < s.randomNegatives() && cand.size() < n - 1; ) {
                    int d = r.nextInt(n);
                    if (d != src && cand.add(d)) k++;
                }
                if (cand.size() < 2) continue;
                int[] c = cand.stream().mapToInt(Integer::intValue).toArray();
                out.add(new Example(Arrays.copyOf(sorted, m), Arrays.copyOf(qw, m), c, target(c, ds, bs, s)));
            }
        }
        return new Problem(tokens, idf, avgLen, k1, b, variants, out);
    }

    /** softmax(agg/τ_t), agg = w·minmax(dense) + (1 − w)·minmax(bm25) over the candidates. */
    static double[] target(int[] cand, double[] dense, double[] bm25, Settings s) {
        double[] dn = minMax(cand, dense), bn = minMax(cand, bm25);
        double[] logits = new double[cand.length];
        for (int j = 0; j < cand.length; j++) logits[j] = (s.denseWeight() * dn[j] + (1 - s.denseWeight()) * bn[j]) / s.teacherTemp();
        return softmax(logits);
    }

    private static double[] minMax(int[] cand, double[] score) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int d : cand) {
            lo = Math.min(lo, score[d]);
            hi = Math.max(hi, score[d]);
        }
        double[] out = new double[cand.length];
        for (int j = 0; j < cand.length; j++) out[j] = hi > lo ? (score[cand[j]] - lo) / (hi - lo) : 0;
        return out;
    }

    static double[] softmax(double[] x) {
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : x) mx = Math.max(mx, v);
        double[] p = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) sum += p[i] = Math.exp(x[i] - mx);
        for (int i = 0; i < x.length; i++) p[i] /= sum;
        return p;
    }

    /** The {@code k} highest-scoring indices, best first (ties: the lower index). */
    static int[] top(double[] s, int k) {
        k = Math.min(k, s.length);
        int[] best = new int[k];
        int have = 0;
        for (int i = 0; i < s.length; i++) {
            if (have == k && s[i] <= s[best[k - 1]]) continue;
            int j = have < k ? have++ : k - 1;
            while (j > 0 && s[best[j - 1]] < s[i]) {
                best[j] = best[j - 1];
                j--;
            }
            best[j] = i;
        }
        return best;
    }

    /**
     * The loss of {@code batch} at θ: mean KL over the examples + λ·IDF-aware FLOPS over their documents.
     * Adds dL/dθ to {@code grad} [P] when it is not null.
     */
    static double loss(Problem p, List<Example> batch, double[] theta, double flops, double studentTemp, double[] grad) {
        // the batch's distinct documents, ascending
        int[] docs = batch.stream().flatMapToInt(e -> Arrays.stream(e.cand())).sorted().distinct().toArray();
        DocTokens.Weights[] fw = new DocTokens.Weights[docs.length];
        DocTokens.Shared[] sh = p.variants() == null ? null : new DocTokens.Shared[docs.length];
        int[][] vt = new int[docs.length][];       // the student's vector per document: terms, weights, dL/dw
        double[][] vw = new double[docs.length][];
        double[][] dw = new double[docs.length][];
        for (int i = 0; i < docs.length; i++) {
            fw[i] = p.docs()[docs[i]].weights(theta, p.idf(), p.k1(), p.b(), p.avgLen());
            if (sh != null) {
                sh[i] = DocTokens.share(fw[i], p.variants(), theta);
                vt[i] = sh[i].terms();
                vw[i] = sh[i].w();
            } else {
                vt[i] = fw[i].terms();
                vw[i] = fw[i].w();
            }
            dw[i] = new double[vt[i].length];
        }
        double kl = 0;
        double inv = 1.0 / batch.size();
        for (Example e : batch) {
            int mc = e.cand().length;
            double[] logits = new double[mc];
            for (int j = 0; j < mc; j++) {
                int di = Arrays.binarySearch(docs, e.cand()[j]);
                double sc = 0;
                for (int t = 0; t < e.terms().length; t++) {
                    int k = Arrays.binarySearch(vt[di], e.terms()[t]);
                    if (k >= 0) sc += e.qw()[t] * vw[di][k];
                }
                logits[j] = sc / studentTemp;
            }
            double[] ps = softmax(logits);
            for (int j = 0; j < mc; j++) {
                if (e.target()[j] > 0) kl += inv * e.target()[j] * (Math.log(e.target()[j]) - Math.log(Math.max(ps[j], 1e-300)));
            }
            if (grad == null) continue;
            for (int j = 0; j < mc; j++) {
                double ds = inv * (ps[j] - e.target()[j]) / studentTemp;
                int di = Arrays.binarySearch(docs, e.cand()[j]);
                int[] terms = vt[di];
                for (int t = 0; t < e.terms().length; t++) {
                    int k = Arrays.binarySearch(terms, e.terms()[t]);
                    if (k >= 0) dw[di][k] += e.qw()[t] * ds;
                }
            }
        }
        double reg = 0;
        if (flops > 0) {
            double[] mean = new double[p.idf().length];
            for (int i = 0; i < docs.length; i++) for (int k = 0; k < vt[i].length; k++) mean[vt[i][k]] += vw[i][k] / docs.length;
            for (int t = 0; t < mean.length; t++) if (mean[t] != 0) reg += Math.exp(-p.idf()[t]) * mean[t] * mean[t];
            if (grad != null) {
                for (int i = 0; i < docs.length; i++) {
                    int[] terms = vt[i];
                    for (int k = 0; k < terms.length; k++) {
                        dw[i][k] += flops * 2 * Math.exp(-p.idf()[terms[k]]) * mean[terms[k]] / docs.length;
                    }
                }
            }
        }
        if (grad != null) {
            for (int i = 0; i < docs.length; i++) {
                double[] own = sh == null ? dw[i] : DocTokens.unshare(sh[i], dw[i], grad);
                p.docs()[docs[i]].backward(fw[i], own, p.idf(), p.k1(), grad);
            }
        }
        return kl + flops * reg;
    }

    /** Mean loss over {@code examples} in chunks of {@code batch} (the FLOPS mean is per chunk, as in training). */
    static double meanLoss(Problem p, List<Example> examples, double[] theta, Settings s) {
        double sum = 0;
        int chunks = 0;
        for (int i = 0; i < examples.size(); i += s.batch()) {
            sum += loss(p, examples.subList(i, Math.min(examples.size(), i + s.batch())), theta, s.flops(), s.studentTemp(), null);
            chunks++;
        }
        return chunks == 0 ? 0 : sum / chunks;
    }

    /** Trains from {@code start} (normally {@link TermWeightHead#initial}). */
    static Result train(Problem p, TermWeightHead start, Settings s, String model, Map<String, Object> provenance) {
        List<Example> all = p.examples();
        int held = Math.max(1, (int) Math.round(all.size() * s.holdout()));
        if (all.size() - held < 1) throw new LacunaException("sparse head training: only " + all.size() + " pseudo-queries with known terms; need at least 2");
        List<Example> heldOut = all.subList(all.size() - held, all.size());
        List<Example> train = all.subList(0, all.size() - held);
        long t0 = System.nanoTime();
        double[] theta = start.parameters();
        float[] pf = new float[theta.length], m = new float[theta.length], v = new float[theta.length], g = new float[theta.length];
        for (int i = 0; i < theta.length; i++) pf[i] = (float) theta[i];
        LrSchedule lr = new LrSchedule(s.lr(), Math.max(1, s.steps() / 20), s.steps(), LrSchedule.Shape.LINEAR);
        double initial = meanLoss(p, heldOut, theta, s);
        double best = initial;
        double[] bestTheta = theta.clone();
        int bestStep = 0;
        int every = Math.max(1, s.steps() / 10);
        Random r = new Random(s.seed() + 1);
        int[] order = shuffled(train.size(), r);
        int pos = 0;
        int step = 0;
        double ema = Double.NaN;
        try (Parallel par = new Parallel(1);
             Progress bar = Progress.of("train sparse head", s.steps(), 0)) {
            while (step < s.steps()) {
                if (s.maxSeconds() > 0 && (System.nanoTime() - t0) / 1e9 > s.maxSeconds()) break;
                List<Example> batch = new ArrayList<>(s.batch());
                for (int i = 0; i < s.batch(); i++) {
                    if (pos == order.length) {
                        order = shuffled(train.size(), r);
                        pos = 0;
                    }
                    batch.add(train.get(order[pos++]));
                }
                for (int i = 0; i < theta.length; i++) theta[i] = pf[i];
                double[] gd = new double[theta.length];
                double l = loss(p, batch, theta, s.flops(), s.studentTemp(), gd);
                for (int i = 0; i < g.length; i++) g[i] = (float) gd[i];
                GradientClip.clip(List.of(g), 1.0);
                step++;
                AdamW.step(par, pf, m, v, g, (float) lr.at(step), 0f, step);
                ema = Double.isNaN(ema) ? l : 0.95 * ema + 0.05 * l;
                if (step % every == 0 || step == s.steps()) {
                    for (int i = 0; i < theta.length; i++) theta[i] = pf[i];
                    double h = meanLoss(p, heldOut, theta, s);
                    if (h < best) {
                        best = h;
                        bestTheta = theta.clone();
                        bestStep = step;
                    }
                    bar.status(String.format(Locale.ROOT, "loss %.4f held-out %.4f (start %.4f)", ema, h, initial));
                } else {
                    bar.status(String.format(Locale.ROOT, "loss %.4f", ema));
                }
                bar.advance(1);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> tr = new LinkedHashMap<>(provenance);
        tr.put("steps", step);
        tr.put("seed", s.seed());
        tr.put("batch", s.batch());
        tr.put("lr", s.lr());
        tr.put("flopsWeight", s.flops());
        tr.put("teacherTemperature", s.teacherTemp());
        tr.put("studentTemperature", s.studentTemp());
        tr.put("denseTeacherWeight", s.denseWeight());
        tr.put("sourceInCandidates", s.withSource());
        tr.put("pseudoQueries", all.size());
        tr.put("heldOutLossStart", initial);
        tr.put("heldOutLossBest", best);
        tr.put("bestStep", bestStep);
        tr.put("seconds", Math.round(seconds * 10) / 10.0);
        tr.put("created", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        tr.put("variantShare", start.english() ? TermWeightHead.sigmoid(bestTheta[TermWeightHead.RHO]) : 0.0);
        TermWeightHead head = new TermWeightHead(bestTheta, start.k1(), start.b(), start.analysis(), model, tr);
        return new Result(head, all.size(), step, initial, best, bestStep, seconds);
    }

    private static int[] shuffled(int n, Random r) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
