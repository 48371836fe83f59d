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
 *     section 4.2) with a measured rather than modelled cost.</li>
 * <li>Scores each head's sensitivity, ||W_o,h||_F x rms(z_h): how strongly an error in the head's
 *     output reaches the residual stream, a first-order stand-in for HeSS (2025), whose score
 *     approximates the Hessian of the output error. Heads above {@code sensitiveScore} x their
 *     layer's mean must reach the stricter {@code sensitiveTarget}: denser budgets for sensitive heads.</li>
 * <li>Picks, per head, the cheapest candidate that reaches the head's recall target and is cheaper
 *     than dense; otherwise dense.</li>
 * <li>Marks heads whose share of the attention output is below {@code skipShare} as skippable
 *     (Sparse-vDiT finds 3-6% of heads can be skipped); the plan records this but does not skip.</li>
 * <li>Keeps the first layers dense when that is needed to keep the embeddings within
 *     {@code cosineTarget} of the dense model's (SparseD, 2025: the earliest steps are the sensitive
 *     ones; here, the earliest layers).</li>
 * </ol>
 */
public final class AttentionCalibrator {
    /**
     * @param windows         calibration windows
     * @param windowTokens    tokens per window (with [CLS] and [SEP])
     * @param recallTarget    attention-mass recall every sparse head must reach
     * @param sensitiveTarget recall target of sensitive heads
     * @param sensitiveScore  a head is sensitive when its score is at least this x its layer's mean
     * @param denseLayers     first layers kept dense; -1 chooses 0, 1 or 2 by the embedding cosine
     * @param cosineTarget    mean cosine to the dense model's embeddings when choosing dense layers
     * @param skipShare       a head whose output share is below this is marked skippable
     */
    public record Options(int windows, int windowTokens, double recallTarget, double sensitiveTarget, double sensitiveScore,
                          int denseLayers, double cosineTarget, double skipShare, Cost cost, int threads, long seed) {
        public Options {
            if (windows < 1) throw new LacunaException("calibration windows must be >= 1, got " + windows);
            if (windowTokens < 8 || windowTokens > 4096) throw new LacunaException("window tokens must be in [8, 4096], got " + windowTokens);
            if (!(Double.isNaN(recallTarget) || recallTarget > 0 && recallTarget <= 1)) {
                throw new LacunaException("recall target must be in (0, 1], got " + recallTarget);
            }
            if (!(Double.isNaN(sensitiveTarget) || sensitiveTarget > 0 && sensitiveTarget <= 1)) {
                throw new LacunaException("sensitive recall target must be in (0, 1], got " + sensitiveTarget);
            }
            if (denseLayers < -1) throw new LacunaException("dense layers must be >= -1, got " + denseLayers);
            if (!(cosineTarget > 0 && cosineTarget <= 1)) throw new LacunaException("cosine target must be in (0, 1], got " + cosineTarget);
            if (cost == null) throw new LacunaException("cost must be pairs or time");
            if (threads < 1) throw new LacunaException("threads must be >= 1, got " + threads);
        }

        /** Recall swept, cost = attended pairs, embeddings within cosine 0.99 of dense on held-out windows. */
        public static Options defaults() {
            return new Options(8, 256, Double.NaN, Double.NaN, 1.5, -1, 0.99, 0.02, Cost.PAIRS,
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
     */
    public record CurvePoint(double recallTarget, int denseLayers, double sparsity, double recall, double cosine) {}

    /** A candidate measured on one head. */
    /**
     * @param kept fraction of (query, key) pairs that entered a softmax on the calibration windows
     * @param cost the ranking cost (see {@link Cost}); below 1 is cheaper than dense
     */
    public record Candidate(MethodSpec method, double recall, double relError, double kept, double cost) {}

    /** What calibration found for one head. */
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
            int[] starts = cap.seqStarts();
            float scale = (float) (1 / Math.sqrt(d));
            List<MethodSpec> cands = candidates(o.windowTokens());

            HeadReport[][] reports = new HeadReport[layers][heads];
            double[][] contribution = new double[layers][heads];
            double[][] sens = new double[layers][heads];
            // quality and statistics, heads in parallel
            par.forRange(layers * heads, (s, e) -> {
                for (int w = s; w < e; w++) {
                    int l = w / heads, h = w % heads;
                    float[] q = cap.q()[l], k = cap.k()[l], v = cap.v()[l];
                    float[] dense = new float[q.length];
                    float[][] lse = new float[starts.length - 1][];
                    List<AttentionMaps.HeadShape> shapes = new ArrayList<>();
                    for (int x = 0; x < starts.length - 1; x++) {
                        int n = starts[x + 1] - starts[x];
                        lse[x] = new float[n];
                        new FlashAttention().attendRows(q, k, v, dense, c, starts[x], n, h * d, d, scale, new float[0], 0, n, lse[x]);
                        shapes.add(AttentionMaps.classify(AttentionProbabilities.of(q, k, c, starts[x], n, h * d, d, scale), n));
                    }
                    double[] sc = headScale(model, l, h, dense, cap.tokens(), c, d);
                    contribution[l][h] = sc[0];
                    sens[l][h] = sc[1];
                    List<Candidate> measured = new ArrayList<>();
                    for (MethodSpec m : cands) {
                        double[] qe = quality(m.kernel(), q, k, v, dense, lse, starts, c, h * d, d, scale);
                        double cost = o.cost() == Cost.FLOPS ? m.relativeFlops(qe[2], o.windowTokens(), d) : qe[2];
                        measured.add(new Candidate(m, qe[0], qe[1], qe[2], cost));
                    }
                    reports[l][h] = new HeadReport(l, h, AttentionMaps.HeadShape.mean(shapes), Double.NaN, Double.NaN, measured, null, Double.NaN);
                }
            });
            if (o.cost() == Cost.TIME) timeCandidates(reports, cap, cands, c, d, scale);

            Batch held = Batch.of(heldOut.toArray(new int[0][]));
            float[][] ref = embed(model, encoder.pooling(), held, par);
            double[] targets = o.sweep() ? SWEEP : new double[] {o.recallTarget()};
            List<CurvePoint> curve = new ArrayList<>();
            Choice best = null, densest = null;
            for (double target : targets) {
                double sensitive = o.sweep() || Double.isNaN(o.sensitiveTarget()) ? 1 - (1 - target) / 2 : Math.max(target, o.sensitiveTarget());
                Choice ch = choose(reports, sens, contribution, target, sensitive, o, modelName, layers, heads);
                // dense first layers: the fewest (0..2) that keep the embeddings within the target
                int from = o.denseLayers() < 0 ? 0 : o.denseLayers(), to = o.denseLayers() < 0 ? Math.min(2, layers) : o.denseLayers();
                for (int kd = from; kd <= to; kd++) {
                    SparsePlan p = withDenseLayers(ch.plan, Math.min(kd, layers));
                    double cos = cosine(ref, embed(model.withAttention(p), encoder.pooling(), held, par));
                    double[] sr = sparsityAndRecall(p, reports);
                    CurvePoint pt = new CurvePoint(target, Math.min(kd, layers), sr[0], sr[1], cos);
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

    /**
     * Per head, the cheapest candidate that reaches the head's recall target (sensitive heads: the
     * stricter one) and is cheaper than dense; else dense.
     */
    private static Choice choose(HeadReport[][] reports, double[][] sens, double[][] contribution, double target, double sensitive,
                                 Options o, String modelName, int layers, int heads) {
        List<SparsePlan.Entry> entries = new ArrayList<>();
        List<HeadReport> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double meanSens = 0, total = 0;
            for (int h = 0; h < heads; h++) {
                meanSens += sens[l][h] / heads;
                total += contribution[l][h];
            }
            for (int h = 0; h < heads; h++) {
                HeadReport r = reports[l][h];
                double score = sens[l][h] / Math.max(meanSens, 1e-30);
                double share = contribution[l][h] / Math.max(total, 1e-30);
                double t = score >= o.sensitiveScore() ? sensitive : target;
                Candidate best = null;
                for (Candidate cd : r.candidates()) {
                    if (cd.recall() >= t && cd.cost() < MAX_COST && (best == null || cd.cost() < best.cost()
                            || cd.cost() == best.cost() && cd.recall() > best.recall())) {
                        best = cd;
                    }
                }
                MethodSpec chosen = best == null ? MethodSpec.parse("dense", Map.of()) : best.method();
                out.add(new HeadReport(l, h, r.shape(), score, share, r.candidates(), chosen, t));
                entries.add(new SparsePlan.Entry(l, h, chosen, best == null ? 1.0 : best.recall(), best == null ? 1.0 : best.cost(),
                        score, r.shape().kind(), share < o.skipShare()));
            }
        }
        return new Choice(new SparsePlan(modelName, layers, heads, entries, new LinkedHashMap<>()), out, null);
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

    /** {mean mass recall, relative output error, fraction of pairs kept} of a kernel on every window. */
    private static double[] quality(AttentionKernel kern, float[] q, float[] k, float[] v, float[] dense, float[][] lse,
                                    int[] starts, int c, int col, int d, float scale) {
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
                    e2 += diff * diff;
                    n2 += (double) dense[o + dd] * dense[o + dd];
                }
            }
        }
        return new double[] {rec / rows, Math.sqrt(e2 / Math.max(n2, 1e-30)), (double) kept / Math.max(1, pairs)};
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

    /**
     * {mean ||W_o,h z_h,t|| over tokens, ||W_o,h||_F x rms(z_h)}: the head's contribution to the
     * attention output and its sensitivity score.
     */
    private static double[] headScale(BertModel model, int layer, int head, float[] z, int tokens, int c, int d) {
        float[] w = model.layer(layer).attnOut().weight().data(); // [C out, C in]
        double wf = 0;
        for (int o = 0; o < c; o++) for (int x = 0; x < d; x++) wf += (double) w[o * c + head * d + x] * w[o * c + head * d + x];
        double zz = 0, contrib = 0;
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
            for (int x = 0; x < d; x++) zz += (double) z[zo + x] * z[zo + x];
        }
        return new double[] {contrib / used, Math.sqrt(wf) * Math.sqrt(zz / (used * (double) d))};
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
