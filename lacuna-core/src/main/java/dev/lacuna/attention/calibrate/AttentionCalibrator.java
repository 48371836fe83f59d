// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.attention.AttentionKernel;
import dev.lacuna.attention.AttentionProbabilities;
import dev.lacuna.attention.FlashAttention;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
/**
 * Makes a {@link SparsePlan} for a model from calibration text.
 *
 * <ol>
 * <li>Runs the model on text windows and captures every layer's q, k, v (through the attention seam).</li>
 * <li>Per layer and head, measures candidate methods against exact attention on those windows:
 *     attention-mass recall, output error, and cost (CPU time relative to dense on the same windows,
 *     interleaved, best of five after warm-up): the offline search of Sparse-vDiT (Chen et al., 2025,
 *     section 4.2) with a measured rather than modelled cost. The candidates are fixed families (window, sink, vertical-slash, block-top-k, BLASST, top-p) plus,
 *     per head, multi-diagonal masks at the offsets where that head's captured maps hold the most mass
 *     (Sparse-vDiT's multi-diagonal pattern, {@link AttentionMaps#heaviestDiagonals}).</li>
 * <li>Scores each head's sensitivity by HeSS (Kim et al., 2026; {@link HeadSensitivity}): the
 *     Hessian of two error terms (attention-block output, and post-LayerNorm residual stream) along the
 *     head's sparsification error, on the calibration windows.</li>
 * <li>Plans every head whose share of the attention output is below {@code skipShare} as skipped:
 *     method {@code skip}, not computed, output zero (Sparse-vDiT's head skipping).</li>
 * <li>The uniform plan gives every other head the cheapest candidate that reaches the recall target
 *     and is cheaper than dense (else dense). With {@link Allocation#HESS} its total cost is then
 *     reallocated ({@link BudgetAllocation}): per head the option minimising HeSS x squared output
 *     error, subject to the same total, so sensitive heads get denser attention and robust heads
 *     sparser (HeSS-guided sparsification).</li>
 * <li>Keeps the first {@code denseLayers} layers dense (-1: the fewest of 0, 1, 2 that keep the
 *     embeddings within {@code cosineTarget} of the dense model's; a reallocation then shares the
 *     uniform plan's budget among the other layers' heads). A heuristic of this calibrator, not SparseD's:
 *     SparseD (2025) keeps the early <em>denoising steps</em> of a diffusion LM dense, which
 *     an encoder has no counterpart of.</li>
 * </ol>
 */
public final class AttentionCalibrator {
    /**
     * @param windows         calibration windows
     * @param windowTokens    tokens per window (with [CLS] and [SEP])
     * @param recallTarget    attention-mass recall of the uniform plan's heads (NaN: swept)
     * @param allocation      how the uniform plan's total budget is shared among heads
     * @param denseLayers     first layers kept dense; -1 chooses 0, 1 or 2 by the embedding cosine
     * @param cosineTarget    mean cosine to the dense model's embeddings when choosing dense layers
     * @param skipShare       a head whose share of its layer's attention output is below this is skipped (0: none)
     */
    public record Options(int windows, int windowTokens, double recallTarget, Allocation allocation,
                          int denseLayers, double cosineTarget, double skipShare, Cost cost, int threads, long seed) {
        public Options {
            if (windows < 1) throw new LacunaException("calibration windows must be >= 1, got " + windows);
            if (windowTokens < 8 || windowTokens > 4096) throw new LacunaException("window tokens must be in [8, 4096], got " + windowTokens);
            if (!(Double.isNaN(recallTarget) || recallTarget > 0 && recallTarget <= 1)) {
                throw new LacunaException("recall target must be in (0, 1], got " + recallTarget);
            }
            if (allocation == null) throw new LacunaException("allocation must be uniform or hess");
            if (!(skipShare >= 0 && skipShare < 1)) throw new LacunaException("skip share must be in [0, 1), got " + skipShare);
            if (denseLayers < -1) throw new LacunaException("dense layers must be >= -1, got " + denseLayers);
            if (!(cosineTarget > 0 && cosineTarget <= 1)) throw new LacunaException("cosine target must be in (0, 1], got " + cosineTarget);
            if (cost == null) throw new LacunaException("cost must be pairs or time");
            if (threads < 1) throw new LacunaException("threads must be >= 1, got " + threads);
        }

        /** Recall swept, cost = attended pairs, embeddings within cosine 0.99 of dense on held-out windows. */
        public static Options defaults() {
            return new Options(8, 256, Double.NaN, Allocation.HESS, -1, 0.99, 0.02, Cost.PAIRS,
                    Math.max(1, Runtime.getRuntime().availableProcessors()), 1);
        }

        /** Whether the recall target is searched (NaN) rather than given. */
        public boolean sweep() {
            return Double.isNaN(recallTarget);
        }
    }

    /**
     * What "cheapest" means when a head's candidates are ranked. {@code PAIRS}: the fraction of
     * (query, key) pairs that enter a softmax (the attention sparsity; deterministic, and the cost
     * that matters at long lengths). {@code TIME}: CPU time relative to dense flash on the calibration
     * windows (at 256 tokens this keeps most heads dense: selection overheads exceed the savings).
     * {@code FLOPS}: modelled floating-point work relative to dense, counting what a method spends to
     * choose its keys ({@link MethodSpec#relativeFlops}, each method's cost model in
     * {@link dev.lacuna.attention.AttentionMethods}): exact top-p scores every pair, so under PAIRS it wins
     * every head (it is the optimal mass-per-pair selection) yet saves only the PV half of the work.
     */
    public enum Cost { PAIRS, FLOPS, TIME }

    /**
     * How heads share the budget. {@code UNIFORM}: every head the same recall target. {@code HESS}: the
     * uniform plan's total cost, reallocated by HeSS x squared output error ({@link BudgetAllocation}).
     * {@code ERROR}: the same reallocation with every head weighted 1 (the ablation that tells what
     * the HeSS weights add to trading recall for output error).
     */
    public enum Allocation { UNIFORM, ERROR, HESS }

    /** The sparsification whose error sets each head's HeSS direction: exact top-p at 0.9 (mid-sweep). */
    static final MethodSpec HESS_REFERENCE = MethodSpec.parse("topp", Map.of("p", "0.9"));

    /** Recall targets tried when none is given, from sparse to dense. */
    static final double[] SWEEP = {0.70, 0.75, 0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99};

    /**
     * One point of the sparsity / quality curve on the held-out windows.
     *
     * @param recallTarget recall target of ordinary heads
     * @param denseLayers  first layers kept dense
     * @param sparsity     fraction of (query, key) pairs skipped, all layers and heads
     * @param recall       mean attention-mass recall over heads on the calibration windows
     * @param cosine       mean cosine of pooled embeddings to dense on the held-out windows
     * @param uniformSparsity sparsity of the uniform plan at this recall target and dense layers: the budget
     *                     a reallocated plan keeps (equal to {@code sparsity} under cost pairs, up to the
     *                     granularity of the candidates)
     */
    public record CurvePoint(double recallTarget, int denseLayers, double sparsity, double recall, double cosine, double uniformSparsity) {}

    /** A candidate measured on one head. */
    /**
     * @param kept fraction of (query, key) pairs that entered a softmax on the calibration windows
     * @param cost the ranking cost (see {@link Cost}); below 1 is cheaper than dense
     */
    public record Candidate(MethodSpec method, double recall, double relError, double kept, double cost) {}

    /**
     * What calibration found for one head.
     *
     * @param sensitivity the HeSS score, mean 1 over the model's heads
     * @param share       the head's share of its layer's attention output
     * @param target      the recall target the head was chosen by; NaN when skipped or reallocated
     */
    public record HeadReport(int layer, int head, AttentionMaps.HeadShape shape, double sensitivity, double share,
                             List<Candidate> candidates, MethodSpec chosen, double target) {}

    /**
     * @param cosine   mean cosine between the planned and the dense model's pooled embeddings on the
     *                 held-out windows
     * @param sparsity fraction of (query, key) pairs the plan skips on the calibration windows
     * @param curve    the points tried (one when the recall target was given), sparse first
     */
    public record Result(SparsePlan plan, List<HeadReport> heads, int denseLayers, double cosine, double sparsity, double recall,
                         List<CurvePoint> curve) {}

    private AttentionCalibrator() {}

    /**
     * Calibrates {@code encoder}'s model on {@code text}: the first {@code windows} windows measure the
     * heads, the next {@code windows} (held out) judge the embeddings.
     */
    public static Result calibrate(SentenceEncoder encoder, String modelName, List<String> text, String textName, Options o) {
        List<int[]> all = AttentionCapture.windows(encoder.tokenizer(), text, o.windowTokens(), 2 * o.windows());
        if (all.isEmpty()) throw new LacunaException("calibration text has no usable lines");
        // too little text for a held-out half: judge on the calibration windows themselves
        List<int[]> windows = all.size() >= 2 ? all.subList(0, (all.size() + 1) / 2) : all;
        List<int[]> heldOut = all.size() >= 2 ? all.subList((all.size() + 1) / 2, all.size()) : all;
        BertModel model = encoder.model();
        int layers = model.layerCount(), heads = model.config().numAttentionHeads(), d = model.config().headDim();
        int c = model.config().hiddenSize();
        try (Parallel par = new Parallel(o.threads())) {
            AttentionCapture.Captured cap = AttentionCapture.capture(model, par, windows, layers - 1);
            float[][] preNorm = AttentionCapture.preNorm(model, par, windows);
            int[] starts = cap.seqStarts();
            float scale = (float) (1 / Math.sqrt(d));
            List<MethodSpec> cands = candidates(o.windowTokens());
            int maxN = 0;
            for (int x = 0; x + 1 < starts.length; x++) maxN = Math.max(maxN, starts[x + 1] - starts[x]);
            final int longest = maxN;

            HeadReport[][] reports = new HeadReport[layers][heads];
            double[][] contribution = new double[layers][heads];
            double[][] norm2 = new double[layers][heads];
            double[][] hessians = new double[layers * heads][];
            // quality and statistics, heads in parallel
            par.forRange(layers * heads, (s, e) -> {
                for (int w = s; w < e; w++) {
                    int l = w / heads, h = w % heads;
                    float[] q = cap.q()[l], k = cap.k()[l], v = cap.v()[l];
                    float[] dense = new float[q.length];
                    float[][] lse = new float[starts.length - 1][];
                    List<AttentionMaps.HeadShape> shapes = new ArrayList<>();
                    double[] offsetMass = new double[2 * longest - 1];
                    for (int x = 0; x < starts.length - 1; x++) {
                        int n = starts[x + 1] - starts[x];
                        lse[x] = new float[n];
                        new FlashAttention().attendRows(q, k, v, dense, c, starts[x], n, h * d, d, scale, new float[0], 0, n, lse[x]);
                        float[] p = AttentionProbabilities.of(q, k, c, starts[x], n, h * d, d, scale);
                        shapes.add(AttentionMaps.classify(p, n));
                        AttentionMaps.addOffsetMass(p, n, offsetMass, longest);
                    }
                    contribution[l][h] = contribution(model, l, h, dense, cap.tokens(), c, d);
                    List<MethodSpec> mine = new ArrayList<>(cands);
                    mine.addAll(multiDiagonals(offsetMass, longest));
                    mine.add(SKIP);
                    List<Candidate> measured = new ArrayList<>();
                    for (MethodSpec m : mine) {
                        double[] qe = quality(m.kernel(), q, k, v, dense, lse, starts, c, h * d, d, scale, null);
                        double cost = o.cost() == Cost.FLOPS ? m.relativeFlops(qe[2], o.windowTokens(), d) : qe[2];
                        measured.add(new Candidate(m, qe[0], qe[1], qe[2], cost));
                        norm2[l][h] = qe[3];
                    }
                    // HeSS: the curvature of the two error terms along this head's reference sparsification error
                    float[] delta = new float[q.length];
                    quality(HESS_REFERENCE.kernel(), q, k, v, dense, lse, starts, c, h * d, d, scale, delta);
                    hessians[w] = HeadSensitivity.hessians(model.layer(l).attnOut().weight().data(), model.layer(l).attnLnW(),
                            model.config().layerNormEps(), preNorm[l], delta, cap.tokens(), c, h * d, d);
                    reports[l][h] = new HeadReport(l, h, AttentionMaps.HeadShape.mean(shapes), Double.NaN, Double.NaN, measured, null, Double.NaN);
                }
            });
            if (o.cost() == Cost.TIME) timeCandidates(reports, cap, cands, c, d, scale);
            double[] flat = HeadSensitivity.scores(hessians);
            double[][] sens = new double[layers][heads];
            for (int w = 0; w < flat.length; w++) sens[w / heads][w % heads] = flat[w];

            Batch held = Batch.of(heldOut.toArray(new int[0][]));
            float[][] ref = embed(model, encoder.pooling(), held, par);
            double[] targets = o.sweep() ? SWEEP : new double[] {o.recallTarget()};
            List<CurvePoint> curve = new ArrayList<>();
            Choice best = null, densest = null;
            for (double target : targets) {
                // dense first layers: the fewest (0..2) that keep the embeddings within the target
                int from = o.denseLayers() < 0 ? 0 : o.denseLayers(), to = o.denseLayers() < 0 ? Math.min(2, layers) : o.denseLayers();
                for (int kd = from; kd <= to; kd++) {
                    int fixed = Math.min(kd, layers);
                    // the budget is the uniform plan's with the same dense layers, shared among the other layers' heads
                    Choice uni = choose(reports, sens, contribution, norm2, target, Allocation.UNIFORM, fixed, o, modelName, layers, heads);
                    Choice ch = o.allocation() == Allocation.UNIFORM ? uni
                            : choose(reports, sens, contribution, norm2, target, o.allocation(), fixed, o, modelName, layers, heads);
                    SparsePlan p = withDenseLayers(ch.plan, fixed);
                    double cos = cosine(ref, embed(model.withAttention(p), encoder.pooling(), held, par));
                    double[] sr = sparsityAndRecall(p, reports);
                    double uniform = sparsityAndRecall(withDenseLayers(uni.plan, fixed), reports)[0];
                    CurvePoint pt = new CurvePoint(target, fixed, sr[0], sr[1], cos, uniform);
                    curve.add(pt);
                    Choice at = new Choice(p, ch.heads, pt);
                    densest = at;
                    if (cos >= o.cosineTarget()) {
                        if (best == null || pt.sparsity() > best.point.sparsity()) best = at;
                        break;
                    }
                }
            }
            Choice fin = best != null ? best : densest; // nothing met the cosine target: the densest tried
            SparsePlan plan = fin.plan;
            Map<String, String> prov = new LinkedHashMap<>(plan.provenance());
            prov.put("calibration", textName + ", " + windows.size() + " windows of up to " + o.windowTokens() + " tokens (+ "
                    + heldOut.size() + " held out)");
            prov.put("recall_target", Double.toString(fin.point.recallTarget()));
            prov.put("allocation", o.allocation().name().toLowerCase(java.util.Locale.ROOT));
            prov.put("skip_share", Double.toString(o.skipShare()));
            prov.put("cost", o.cost().name().toLowerCase(java.util.Locale.ROOT));
            prov.put("cosine_target", Double.toString(o.cosineTarget()));
            prov.put("cosine", String.format(java.util.Locale.ROOT, "%.5f", fin.point.cosine()));
            prov.put("dense_layers", Integer.toString(fin.point.denseLayers()));
            prov.put("seed", Long.toString(o.seed()));
            prov.put("version", Version.get());
            plan = new SparsePlan(plan.model(), plan.layers(), plan.heads(), plan.entries(), prov);
            List<HeadReport> out = new ArrayList<>();
            for (HeadReport r : fin.heads) {
                MethodSpec m = plan.entry(r.layer(), r.head()) == null ? r.chosen() : plan.entry(r.layer(), r.head()).method();
                out.add(new HeadReport(r.layer(), r.head(), r.shape(), r.sensitivity(), r.share(), r.candidates(), m, r.target()));
            }
            return new Result(plan, out, fin.point.denseLayers(), fin.point.cosine(), fin.point.sparsity(), fin.point.recall(), curve);
        }
    }

    private record Choice(SparsePlan plan, List<HeadReport> heads, CurvePoint point) {}

    static final MethodSpec SKIP = MethodSpec.parse("skip", Map.of());
    private static final MethodSpec DENSE = MethodSpec.parse("dense", Map.of());

    /**
     * Heads of the first {@code denseLayers} layers are dense, heads below the skip share skipped. The uniform plan gives every other head the cheapest
     * candidate that reaches the recall target and is cheaper than dense (else dense); a reallocation
     * then shares that plan's total cost by weight x squared output error.
     */
    private static Choice choose(HeadReport[][] reports, double[][] sens, double[][] contribution, double[][] norm2, double target,
                                 Allocation allocation, int denseLayers, Options o, String modelName, int layers, int heads) {
        Candidate[][] pick = new Candidate[layers][heads]; // null: dense
        boolean[][] skip = new boolean[layers][heads];
        double[][] share = new double[layers][heads];
        List<int[]> open = new ArrayList<>();
        double budget = 0;
        for (int l = 0; l < layers; l++) {
            double total = 0;
            for (int h = 0; h < heads; h++) total += contribution[l][h];
            for (int h = 0; h < heads; h++) {
                HeadReport r = reports[l][h];
                share[l][h] = contribution[l][h] / Math.max(total, 1e-30);
                if (l < denseLayers) continue; // dense: pick null, outside the budget
                if (share[l][h] < o.skipShare()) {
                    skip[l][h] = true;
                    pick[l][h] = r.candidates().stream().filter(x -> x.method().equals(SKIP)).findFirst().orElseThrow();
                    continue;
                }
                Candidate best = null;
                for (Candidate cd : r.candidates()) {
                    if (cd.method().equals(SKIP)) continue;
                    if (cd.recall() >= target && cd.cost() < MAX_COST && (best == null || cd.cost() < best.cost()
                            || cd.cost() == best.cost() && cd.recall() > best.recall())) {
                        best = cd;
                    }
                }
                pick[l][h] = best;
                budget += best == null ? 1.0 : best.cost();
                open.add(new int[] {l, h});
            }
        }
        if (allocation != Allocation.UNIFORM && !open.isEmpty()) {
            double[] weight = new double[open.size()];
            double[][] err = new double[open.size()][], cost = new double[open.size()][];
            List<List<Candidate>> options = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                int l = open.get(i)[0], h = open.get(i)[1];
                List<Candidate> opts = new ArrayList<>();
                opts.add(null); // dense: no error, cost 1
                for (Candidate cd : reports[l][h].candidates()) if (!cd.method().equals(SKIP) && cd.cost() < MAX_COST) opts.add(cd);
                options.add(opts);
                weight[i] = allocation == Allocation.HESS ? sens[l][h] : 1.0;
                err[i] = new double[opts.size()];
                cost[i] = new double[opts.size()];
                for (int x = 0; x < opts.size(); x++) {
                    Candidate cd = opts.get(x);
                    err[i][x] = cd == null ? 0 : cd.relError() * cd.relError() * norm2[l][h]; // Σ_t ||δ_t||²
                    cost[i][x] = cd == null ? 1.0 : cd.cost();
                }
            }
            int[] chosen = BudgetAllocation.allocate(weight, err, cost, budget);
            for (int i = 0; i < open.size(); i++) pick[open.get(i)[0]][open.get(i)[1]] = options.get(i).get(chosen[i]);
        }
        List<SparsePlan.Entry> entries = new ArrayList<>();
        List<HeadReport> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                HeadReport r = reports[l][h];
                Candidate best = pick[l][h];
                MethodSpec chosen = best == null ? DENSE : best.method();
                double t = skip[l][h] || allocation != Allocation.UNIFORM ? Double.NaN : target;
                out.add(new HeadReport(l, h, r.shape(), sens[l][h], share[l][h], r.candidates(), chosen, t));
                entries.add(new SparsePlan.Entry(l, h, chosen, best == null ? 1.0 : best.recall(), best == null ? 1.0 : best.cost(),
                        sens[l][h], r.shape().kind(), share[l][h] < o.skipShare()));
            }
        }
        return new Choice(new SparsePlan(modelName, layers, heads, entries, new LinkedHashMap<>()), out, null);
    }

    /**
     * Multi-diagonal candidates of one head: 1 to 4 bands of half-width 0, 2 or 4 at the offsets that
     * hold the most of its attention mass (Sparse-vDiT's multi-diagonal pattern), tiles of 32.
     */
    static List<MethodSpec> multiDiagonals(double[] offsetMass, int maxN) {
        java.util.LinkedHashSet<MethodSpec> c = new java.util.LinkedHashSet<>();
        for (int width : new int[] {0, 2, 4}) {
            for (int count = 1; count <= 4; count++) {
                int[] off = AttentionMaps.heaviestDiagonals(offsetMass, maxN, count, width);
                if (off.length == 0) continue;
                StringBuilder b = new StringBuilder();
                for (int x : off) b.append(b.isEmpty() ? "" : ",").append(x);
                c.add(MethodSpec.parse("diagonal", Map.of("offsets", b.toString(), "width", Integer.toString(width), "tile", "32")));
            }
        }
        return new ArrayList<>(c);
    }

    /** A sparse candidate must cost at most this fraction of dense to be chosen (else dense is simpler). */
    static final double MAX_COST = 0.95;

    /** {sparsity, mean recall} of a plan from the measured candidates (dense heads: 0 and 1). */
    private static double[] sparsityAndRecall(SparsePlan p, HeadReport[][] reports) {
        double skipped = 0, rec = 0;
        int n = 0;
        for (HeadReport[] row : reports) {
            for (HeadReport r : row) {
                SparsePlan.Entry e = p.entry(r.layer(), r.head());
                MethodSpec m = e == null ? null : e.method();
                Candidate cd = m == null ? null : r.candidates().stream().filter(x -> x.method().equals(m)).findFirst().orElse(null);
                skipped += cd == null ? 0 : 1 - cd.kept();
                rec += cd == null ? 1 : cd.recall();
                n++;
            }
        }
        return new double[] {skipped / n, rec / n};
    }

    /** Replaces each candidate's cost by its measured CPU time relative to dense (one head at a time). */
    private static void timeCandidates(HeadReport[][] reports, AttentionCapture.Captured cap, List<MethodSpec> cands, int c, int d, float scale) {
        int[] starts = cap.seqStarts();
        for (int rep = 0; rep < 3; rep++) { // compile every candidate first
            for (MethodSpec m : cands) cost(m.kernel(), cap.q()[0], cap.k()[0], cap.v()[0], starts, c, 0, d, scale);
        }
        for (int l = 0; l < reports.length; l++) {
            for (int h = 0; h < reports[l].length; h++) {
                HeadReport r = reports[l][h];
                List<Candidate> timed = new ArrayList<>();
                for (Candidate cd : r.candidates()) {
                    double cost = cost(cd.method().kernel(), cap.q()[l], cap.k()[l], cap.v()[l], starts, c, h * d, d, scale);
                    timed.add(new Candidate(cd.method(), cd.recall(), cd.relError(), cd.kept(), cost));
                }
                reports[l][h] = new HeadReport(l, h, r.shape(), r.sensitivity(), r.share(), timed, null, Double.NaN);
            }
        }
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        Map<String, String> r = new LinkedHashMap<>(m);
        r.put(k, v);
        return r;
    }

    /** The plan with layers [0, k) dense (entries kept, method replaced). */
    static SparsePlan withDenseLayers(SparsePlan p, int k) {
        List<SparsePlan.Entry> ch = new ArrayList<>();
        for (SparsePlan.Entry e : p.entries()) {
            if (e.layer() < k && !e.method().name().equals("dense")) {
                ch.add(new SparsePlan.Entry(e.layer(), e.head(), MethodSpec.parse("dense", Map.of()), 1.0, 1.0, e.sensitivity(),
                        e.shape(), e.skippable()));
            }
        }
        return p.with(ch);
    }

    /**
     * Candidate methods for sequences of about n tokens, from sparse to dense within each family.
     * Tiles of 32 give short sequences finer skipping than 64.
     */
    static List<MethodSpec> candidates(int n) {
        List<MethodSpec> c = new ArrayList<>();
        for (int w = 8; w <= n / 2; w *= 2) {
            c.add(MethodSpec.parse("window", Map.of("window", Integer.toString(w), "tile", "32")));
            c.add(MethodSpec.parse("sink", Map.of("sinks", "1", "window", Integer.toString(w), "tile", "32")));
        }
        for (int v = 4; v <= Math.max(4, n / 16); v *= 2) {
            c.add(MethodSpec.parse("vertical-slash", Map.of("verticals", Integer.toString(v), "slashes", Integer.toString(Math.max(2, v / 2)),
                    "width", "8", "samples", "32", "tile", "32")));
        }
        for (String m : new String[] {"0.8", "0.9", "0.95", "0.98"}) {
            c.add(MethodSpec.parse("block-topk", Map.of("block", "32", "mass", m)));
        }
        for (String cc : new String[] {"16", "4", "1"}) c.add(MethodSpec.parse("blasst", Map.of("c", cc, "tile", "32")));
        // per-query exact top-p (RTPurbo): adapts the budget to each query's own distribution
        for (String p : new String[] {"0.7", "0.8", "0.85", "0.9", "0.93", "0.95", "0.97", "0.98", "0.99"}) {
            c.add(MethodSpec.parse("topp", Map.of("p", p)));
        }
        return c;
    }

    /**
     * {mean mass recall, relative output error, fraction of pairs kept, Σ ||dense||²} of a kernel on
     * every window; {@code delta} [T, C] (or null) receives its output minus dense in the head's columns.
     */
    private static double[] quality(AttentionKernel kern, float[] q, float[] k, float[] v, float[] dense, float[][] lse,
                                    int[] starts, int c, int col, int d, float scale, float[] delta) {
        float[] out = new float[q.length];
        double rec = 0, e2 = 0, n2 = 0;
        long kept = 0, pairs = 0;
        int rows = 0;
        for (int x = 0; x < starts.length - 1; x++) {
            int n = starts[x + 1] - starts[x];
            float[] l = new float[n];
            kept += kern.attendRows(q, k, v, out, c, starts[x], n, col, d, scale, new float[Math.max(1, kern.scratchSize(n, d))], 0, n, l);
            pairs += (long) n * n;
            for (int i = 0; i < n; i++) {
                rec += Math.min(1, Math.exp((double) l[i] - lse[x][i]));
                rows++;
                int o = (starts[x] + i) * c + col;
                for (int dd = 0; dd < d; dd++) {
                    double diff = out[o + dd] - dense[o + dd];
                    if (delta != null) delta[o + dd] = (float) diff;
                    e2 += diff * diff;
                    n2 += (double) dense[o + dd] * dense[o + dd];
                }
            }
        }
        return new double[] {rec / rows, Math.sqrt(e2 / Math.max(n2, 1e-30)), (double) kept / Math.max(1, pairs), n2};
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Time of a kernel over every window relative to dense flash attention, by this thread's CPU time
     * (other processes on the machine do not count): two warm-up passes, then the best of five
     * interleaved pairs.
     */
    private static double cost(AttentionKernel kern, float[] q, float[] k, float[] v, int[] starts, int c, int col, int d, float scale) {
        AttentionKernel dense = new FlashAttention();
        float[] out = new float[q.length];
        long bestD = Long.MAX_VALUE, bestS = Long.MAX_VALUE;
        for (int r = 0; r < 7; r++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (int x = 0; x < starts.length - 1; x++) dense.attend(q, k, v, out, c, starts[x], starts[x + 1] - starts[x], col, d, scale, new float[0]);
            long t1 = CPU.getCurrentThreadCpuTime();
            for (int x = 0; x < starts.length - 1; x++) kern.attend(q, k, v, out, c, starts[x], starts[x + 1] - starts[x], col, d, scale, new float[0]);
            long t2 = CPU.getCurrentThreadCpuTime();
            if (r < 2) continue; // warm-up: compiled code only
            bestD = Math.min(bestD, t1 - t0);
            bestS = Math.min(bestS, t2 - t1);
        }
        return (double) bestS / Math.max(1, bestD);
    }

    /** Mean ||W_o,h z_h,t|| over (a sample of at most 256) tokens: the head's contribution to the attention output. */
    private static double contribution(BertModel model, int layer, int head, float[] z, int tokens, int c, int d) {
        float[] w = model.layer(layer).attnOut().weight().data(); // [C out, C in]
        double contrib = 0;
        int step = Math.max(1, tokens / 256);
        int used = 0;
        for (int t = 0; t < tokens; t += step, used++) {
            int zo = t * c + head * d;
            double y2 = 0;
            for (int o = 0; o < c; o++) {
                double y = 0;
                for (int x = 0; x < d; x++) y += w[o * c + head * d + x] * z[zo + x];
                y2 += y * y;
            }
            contrib += Math.sqrt(y2);
        }
        return contrib / used;
    }

    /** Pooled, L2-normalised embeddings of a batch [B][C]. */
    static float[][] embed(BertModel m, Pooling pooling, Batch batch, Parallel par) {
        float[] hidden = m.forward(par, batch, Hooks.NONE);
        return pooling.pool(hidden, m.config().hiddenSize(), batch.seqStarts(), true);
    }

    private static double cosine(float[][] a, float[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double ab = 0, aa = 0, bb = 0;
            for (int j = 0; j < a[i].length; j++) {
                ab += (double) a[i][j] * b[i][j];
                aa += (double) a[i][j] * a[i][j];
                bb += (double) b[i][j] * b[i][j];
            }
            s += ab / Math.sqrt(aa * bb);
        }
        return s / a.length;
    }
}
