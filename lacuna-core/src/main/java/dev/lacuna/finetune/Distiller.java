// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.prune.DistillModifier;
import dev.lacuna.prune.GradualPruneModifier;
import dev.lacuna.sparse.MaskSelection;
import dev.lacuna.sparse.SparsityPattern;
import dev.lacuna.prune.Mask;
import dev.lacuna.tensor.FloatTensor;
import dev.lacuna.train.AdamW;
import dev.lacuna.train.BertTraining;
import dev.lacuna.train.EmbeddingLoss;
import dev.lacuna.train.GradientClip;
import dev.lacuna.train.Gradients;
import dev.lacuna.train.LrSchedule;
import dev.lacuna.train.SquareHeadLoss;
import dev.lacuna.train.Tape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a recipe's {@link DistillModifier}: the pruned student learns to match the dense teacher on
 * unlabeled sequences, its masks fixed.
 *
 * <p>Each step takes the next {@code batch} sequences of a seeded order (sequence g of the run is
 * {@code order(g / n)[g % n]}, a fresh shuffle per epoch, so a step's batch depends on its number
 * alone), runs the teacher's inference forward and the student's training forward, sums the losses,
 * backpropagates, clips the global gradient norm, takes an AdamW step with the scheduled rate (no
 * weight decay on biases and LayerNorm, as Hugging Face trainers), sets pruned weights back to exactly
 * 0 and rebuilds the student's kernels. With a time budget the step count is fixed up front from a
 * timed probe of two steps that update nothing, fixed again after {@link #REPLAN_AT} steps from
 * the loop's own step times (the probe runs on a cold JIT) and a last time at a tenth of the run
 * (the steps after it, still speeding up), and recorded, so a resumed run keeps it;
 * the loop also stops at the budget. Checkpoints every {@link Options#checkpointSeconds} and at the end;
 * resuming from one gives the uninterrupted run's weights bit for bit.
 */
public final class Distiller {
    /**
     * How a run is driven.
     *
     * @param checkpoint        directory for checkpoints (replaced atomically each time), or null for none
     * @param resume            a checkpoint to continue from, or null
     * @param checkpointSeconds seconds between checkpoints
     * @param evalPoints        evaluation points spread over the run (plus one before the first step)
     * @param identity          what the checkpoint must match to be resumed: the teacher's fingerprint and the recipe
     * @param pauseAfter        stop (checkpointed) after this many steps of the run, to continue it later by
     *                          {@code resume}; 0 for none
     */
    public record Options(Path checkpoint, Path resume, double checkpointSeconds, int evalPoints, String identity, long pauseAfter) {
        public Options(Path checkpoint, Path resume, double checkpointSeconds, int evalPoints, String identity) {
            this(checkpoint, resume, checkpointSeconds, evalPoints, identity, 0);
        }
    }

    /** The trained student (dense kernels over its masked weights), its final masks, and the log. */
    public record Result(BertModel model, Map<String, Mask> masks, TrainingLog log, long steps, long plannedSteps, double trainSeconds, long tokens) {
        /** Tokens per second of the training loop (teacher forward, student forward and backward, update). */
        public double tokensPerSecond() {
            return trainSeconds > 0 ? tokens / trainSeconds : 0;
        }
    }

    private final BertModel teacherModel;
    private final Teacher teacher;
    private final Pooling pooling;
    private final DistillModifier cfg;
    private final List<int[]> texts;
    private final ScoredPairs pairs;                                    // the cosent loss's pairs, or null
    private final Map<String, boolean[]> kept = new LinkedHashMap<>();
    private final Map<String, FloatTensor> params = new LinkedHashMap<>();   // the student, deep-copied
    private final Map<String, float[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
    private final List<String> trained = new ArrayList<>();
    private final boolean squareHead;
    private final GradualPruneModifier gradual;           // null: masks fixed
    private final List<String> gradualTargets;
    private final Map<String, int[]> shapes = new LinkedHashMap<>();   // [N, K] of every projection
    private Tape spare;                                                 // the last step's tape, its arrays reused
    private final SparsityPattern.NofM srste;                           // SR-STE's pattern, or null for fixed masks
    private final Map<String, float[]> denseW = new LinkedHashMap<>();  // SR-STE: the dense weights W [N, K] by projection

    /**
     * @param teacher the dense model
     * @param student the pruned model (its arrays are copied, never written)
     * @param masks   kept entries of every pruned projection
     * @param texts   token ids of the training sequences, special tokens included, at most max_tokens each
     */
    public Distiller(BertModel teacher, Pooling pooling, BertModel student, Map<String, Mask> masks, DistillModifier cfg, List<int[]> texts) {
        this(teacher, pooling, student, masks, cfg, null, texts);
    }

    /** @param gradual gradual magnitude pruning of the run, or null for fixed masks */
    public Distiller(BertModel teacher, Pooling pooling, BertModel student, Map<String, Mask> masks, DistillModifier cfg,
                     GradualPruneModifier gradual, List<int[]> texts) {
        this(teacher, pooling, student, masks, cfg, gradual, null, texts);
    }

    /**
     * @param srste with {@code masks: sr-ste}, the N:M pattern of the pruned projections (their dense
     *              weights start as the student's kept values and the teacher's pruned ones), else null
     */
    public Distiller(BertModel teacher, Pooling pooling, BertModel student, Map<String, Mask> masks, DistillModifier cfg,
                     GradualPruneModifier gradual, SparsityPattern.NofM srste, List<int[]> texts) {
        this(teacher, pooling, student, masks, cfg, gradual, srste, texts, null);
    }

    /**
     * @param pairs scored pairs for the {@code cosent} loss (required with it, refused without), or null:
     *              each step appends {@link DistillModifier#cosentPairs()} of them, both sentences of pair
     *              p at rows B + 2p and B + 2p + 1, in their own seeded order
     */
    public Distiller(BertModel teacher, Pooling pooling, BertModel student, Map<String, Mask> masks, DistillModifier cfg,
                     GradualPruneModifier gradual, SparsityPattern.NofM srste, List<int[]> texts, ScoredPairs pairs) {
        boolean cosent = cfg.losses().contains(DistillModifier.Loss.COSENT);
        if (cosent && pairs == null) throw new LacunaException("distill: the cosent loss needs scored pairs: give --train-stsb FILE");
        if (!cosent && pairs != null) throw new IllegalArgumentException("scored pairs without the cosent loss");
        if (cosent && pairs.size() < cfg.cosentPairs()) {
            throw new LacunaException("distill: " + pairs.size() + " scored pairs, fewer than the " + cfg.cosentPairs() + " a step takes");
        }
        this.pairs = pairs;
        if (texts.size() < cfg.batch()) {
            throw new LacunaException("distill: " + texts.size() + " training sequences, fewer than one batch of " + cfg.batch());
        }
        this.teacherModel = teacher;
        this.teacher = new Teacher(teacher, pooling);
        this.pooling = pooling;
        this.cfg = cfg;
        this.texts = List.copyOf(texts);
        this.squareHead = cfg.losses().contains(DistillModifier.Loss.SQUAREHEAD);
        masks.forEach((name, mask) -> kept.put(name, mask.toBooleanArray()));
        student.tensors().forEach((name, t) -> params.put(name, new FloatTensor(t.shape().clone(), t.data().clone())));
        student.linears().forEach((name, l) -> shapes.put(name, new int[] {l.outFeatures(), l.inFeatures()}));
        this.gradual = gradual;
        this.gradualTargets = gradual == null ? List.of() : gradual.resolve(shapes.keySet());
        if ((srste != null) != (cfg.masks() == DistillModifier.MaskTraining.SR_STE) || (srste != null && gradual != null)) {
            throw new IllegalArgumentException("SR-STE needs masks: sr-ste, an N:M pattern and no gradual pruning");
        }
        this.srste = srste;
        if (srste != null) {
            Map<String, FloatTensor> tt = teacher.tensors();
            for (String name : kept.keySet()) {
                boolean[] k = kept.get(name);
                float[] w = params.get(name + ".weight").data().clone(), wt = tt.get(name + ".weight").data();
                for (int i = 0; i < w.length; i++) if (!k[i]) w[i] = wt[i];
                denseW.put(name, w);
            }
        }
        for (String name : gradualTargets) {
            if (!kept.containsKey(name)) {
                boolean[] all = new boolean[shapes.get(name)[0] * shapes.get(name)[1]];
                java.util.Arrays.fill(all, true);
                kept.put(name, all);
            }
        }
        for (String name : params.keySet()) {
            if (!cfg.trainEmbeddings() && isEmbeddingTable(name)) continue;
            trained.add(name);
            m.put(name, new float[params.get(name).data().length]);
            v.put(name, new float[params.get(name).data().length]);
        }
    }

    /**
     * What a checkpoint must match to be resumed: the teacher's weights, the recipe (prune steps, whose
     * masks the student keeps, and the distill step) and the training sequences, hashed.
     */
    public static String identity(String teacherWeights, String recipeYaml, List<int[]> texts) {
        return identity(teacherWeights, recipeYaml, texts, null);
    }

    /** As above, with the cosent loss's scored pairs (null: none) hashed with the text. */
    public static String identity(String teacherWeights, String recipeYaml, List<int[]> texts, ScoredPairs pairs) {
        java.security.MessageDigest d;
        try {
            d = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        d.update(recipeYaml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String recipe = java.util.HexFormat.of().formatHex(d.digest(), 0, 8);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4);
        for (int[] t : texts) {
            d.update((byte) 0x1e);
            for (int id : t) d.update(buf.clear().putInt(id).array());
        }
        if (pairs != null) {
            java.nio.ByteBuffer score = java.nio.ByteBuffer.allocate(8);
            for (int p = 0; p < pairs.size(); p++) {
                d.update((byte) 0x1d);
                for (int id : pairs.first().get(p)) d.update(buf.clear().putInt(id).array());
                d.update((byte) 0x1f);
                for (int id : pairs.second().get(p)) d.update(buf.clear().putInt(id).array());
                d.update(score.clear().putDouble(pairs.scores()[p]).array());
            }
        }
        String text = java.util.HexFormat.of().formatHex(d.digest(), 0, 8);
        return "teacher " + teacherWeights + ", recipe sha256:" + recipe + ", text sha256:" + text + " (" + texts.size() + " sequences"
                + (pairs == null ? "" : ", " + pairs.size() + " scored pairs") + ")";
    }

    /** Refuses at once a checkpoint that is missing, unreadable or of another model, recipe or text. */
    public static void checkResumable(Path dir, String identity) {
        TrainingCheckpoint.checkIdentity(dir, identity);
    }

    static boolean isEmbeddingTable(String name) {
        return name.startsWith("embeddings.") && name.endsWith("_embeddings.weight");
    }

    /** No weight decay on biases and LayerNorm parameters. */
    static boolean decays(String name) {
        return name.endsWith(".weight") && !name.contains("LayerNorm");
    }

    /**
     * Trains.
     *
     * @param eval quality of a student model, measured at the evaluation points, or null
     */
    public Result run(Parallel par, Options opt, Function<BertModel, Map<String, Double>> eval) {
        long budgetNs = cfg.minutes() == null ? Long.MAX_VALUE : (long) (cfg.minutes() * 60e9);
        TrainingLog log;
        long done, planned;
        double clockBase;   // seconds already spent by the runs this one resumes
        if (opt.resume() != null) {
            TrainingCheckpoint.State st = TrainingCheckpoint.read(opt.resume(), opt.identity(), params, m, v, kept, shapes, denseW);
            log = st.log();
            done = st.step();
            planned = st.plannedSteps();
            clockBase = st.seconds();
            System.err.printf(Locale.ROOT, "lacuna: resuming distillation at step %d of %d from %s%n", done, planned, opt.resume());
        } else {
            log = new TrainingLog();
            done = 0;
            clockBase = 0;
            planned = planSteps(par, eval, budgetNs, opt.evalPoints());
        }
        BertModel student = rebuild();
        if (done == 0 && eval != null && log.evals().isEmpty()) log.evals().add(new TrainingLog.Eval(0, timed(eval, student)));
        LrSchedule schedule = new LrSchedule(cfg.lr(), Math.round(cfg.warmup() * planned), planned, cfg.schedule());
        // a time budget is re-planned after REPLAN_AT steps, from this process's own steps (the probe's
        // two steps run on a cold JIT and came out up to 2x slow: 4.33 s against ~2.2 s per step), and
        // again at a tenth of the run
        boolean replan = cfg.minutes() != null && done < REPLAN_AT && planned > REPLAN_AT;
        double timedSeconds = 0, warmSeconds = 0;
        int timedSteps = 0, warmSteps = 0;
        long replanAgainAt = -1;   // the step of the second re-plan, once the first has set it
        long start = System.nanoTime(), lastCheckpoint = start;
        long tokens = 0;
        double loopSeconds = 0;
        long evalEvery = opt.evalPoints() > 0 ? Math.max(1, planned / opt.evalPoints()) : Long.MAX_VALUE;
        long remainingBudget = budgetNs == Long.MAX_VALUE ? Long.MAX_VALUE : budgetNs - (long) (clockBase * 1e9);
        try (Progress progress = new Progress("distill", planned, true)) {
            progress.advance(done);
            BertTraining training = new BertTraining(student, gradMasks());
            Gradients grads = new Gradients(student, trained::contains);
            while (done < planned) {
                if (opt.pauseAfter() > 0 && done >= opt.pauseAfter()) break;
                if (System.nanoTime() - start > remainingBudget) {
                    System.err.printf(Locale.ROOT, "lacuna: distill stopped at the %.1f-minute budget after %d of %d steps%n",
                            cfg.minutes(), done, planned);
                    break;
                }
                long t0 = System.nanoTime();
                long step = done + 1;
                if (gradual != null && prune(gradual.sparsityAt(step, planned))) {
                    student = rebuild();
                    training = new BertTraining(student, gradMasks());
                }
                Batch batch = batch(step);
                TrainingLog.Step s = step(par, training, grads, batch, step, schedule.at(step), clockBase);
                done = step;
                student = rebuild();
                training = new BertTraining(student, gradMasks());
                long t1 = System.nanoTime();
                loopSeconds += (t1 - t0) / 1e9;
                tokens += batch.tokens();
                log.steps().add(new TrainingLog.Step(step, s.loss(), s.terms(), s.lr(), s.gradNorm(), s.tokens(),
                        clockBase + (t1 - start) / 1e9));
                progress.status(String.format(Locale.ROOT, "loss %.4g  %.0f tok/s", log.recentLoss(20), tokens / loopSeconds));
                progress.advance(1);
                if (replan && step > REPLAN_AT / 2) {   // the first half are JIT warm-up
                    timedSeconds += (t1 - t0) / 1e9;
                    timedSteps++;
                }
                if (replanAgainAt > 0 && step > REPLAN_AT) {
                    warmSeconds += (t1 - t0) / 1e9;
                    warmSteps++;
                }
                boolean first = replan && step == REPLAN_AT, last = step == replanAgainAt;
                if (first || last) {
                    double perStep = first ? timedSeconds / Math.max(1, timedSteps) : warmSeconds / Math.max(1, warmSteps);
                    long again = (first ? timedSteps : warmSteps) < 3 ? planned
                            : replannedSteps(step, clockBase + (t1 - start) / 1e9, budgetNs / 1e9, perStep,
                                    evalSecondsEach * (eval == null ? 0 : (int) Math.min(opt.evalPoints() + 1L, (planned - step) / Math.max(1, evalEvery) + 1)),
                                    cfg.steps());
                    if (first) {
                        replan = false;
                        // the loop's steps keep getting faster for a while after this (the JIT): 0.55 s per
                        // step at step 20 against 0.48 over the 964 steps of a 10-minute run, which ended
                        // with 15% of its budget unused; so the count is fixed once more, at a tenth of the run
                        replanAgainAt = again > 2L * REPLAN_AT_AGAIN_MIN ? Math.max(REPLAN_AT_AGAIN_MIN, again / 10) : -1;
                    } else {
                        replanAgainAt = -1;
                    }
                    if (again != planned) {
                        System.err.printf(Locale.ROOT, "%nlacuna: distill: re-planned after %d steps at %.2f s per step: %d steps instead of %d%n",
                                step, perStep, again, planned);
                        planned = again;
                        schedule = new LrSchedule(cfg.lr(), Math.round(cfg.warmup() * planned), planned, cfg.schedule());
                        evalEvery = opt.evalPoints() > 0 ? Math.max(1, planned / opt.evalPoints()) : Long.MAX_VALUE;
                        progress.total(planned);
                    }
                }
                if (eval != null && ((step % evalEvery == 0 && 2 * (planned - step) >= evalEvery) || step == planned)) log.evals().add(new TrainingLog.Eval(step, timed(eval, student)));
                if (opt.checkpoint() != null && (t1 - lastCheckpoint) / 1e9 >= opt.checkpointSeconds()) {
                    TrainingCheckpoint.write(opt.checkpoint(), opt.identity(), done, planned, clockBase + (t1 - start) / 1e9, log, params, m, v, kept, shapes, denseW);
                    lastCheckpoint = System.nanoTime();
                }
            }
        }
        if (opt.checkpoint() != null) {
            TrainingCheckpoint.write(opt.checkpoint(), opt.identity(), done, planned, clockBase + (System.nanoTime() - start) / 1e9, log, params, m, v,
                    kept, shapes, denseW);
        }
        Map<String, Mask> finalMasks = new LinkedHashMap<>();
        kept.forEach((name, k) -> finalMasks.put(name, Mask.of(k, shapes.get(name)[0], shapes.get(name)[1])));
        return new Result(student, finalMasks, log, done, planned, loopSeconds, tokens);
    }

    /**
     * Gradual pruning to sparsity {@code s} of every gradual target: the weights of least |w| among
     * those still kept are pruned (a pruned one never returns; a target already sparser stays as it is),
     * their weights and AdamW moments set to 0.
     *
     * @return whether any mask changed
     */
    private boolean prune(double s) {
        boolean changed = false;
        for (String name : gradualTargets) {
            boolean[] k = kept.get(name);
            int n = shapes.get(name)[0], kk = shapes.get(name)[1];
            long pruned = 0;
            for (boolean b : k) if (!b) pruned++;
            double target = Math.max(s, (double) pruned / k.length);
            if (MaskSelection.zeros(target, k.length) <= pruned) continue;
            float[] w = params.get(name + ".weight").data();
            double[] score = new double[w.length];
            for (int i = 0; i < w.length; i++) score[i] = k[i] ? Math.abs(w[i]) : -1;
            boolean[] next = MaskSelection.select(score, n, kk, SparsityPattern.UNSTRUCTURED, target, MaskSelection.Group.LAYER);
            float[] mw = m.get(name + ".weight"), vw = v.get(name + ".weight");
            for (int i = 0; i < w.length; i++) {
                next[i] &= k[i];
                if (k[i] && !next[i]) {
                    w[i] = 0f;
                    if (mw != null) mw[i] = 0f;
                    if (vw != null) vw[i] = 0f;
                }
            }
            kept.put(name, next);
            changed = true;
        }
        return changed;
    }

    /**
     * The batch of step {@code step} (from 1): sequences (step−1)·B .. step·B−1 of the seeded order, then
     * with the cosent loss pairs (step−1)·P .. step·P−1 of the pairs' own seeded order, both sentences each.
     */
    Batch batch(long step) {
        int b = cfg.batch(), np = cfg.cosentPairs();
        int[][] seqs = new int[b + 2 * np][];
        int[] idx = indices(step, b, texts.size(), 0);
        for (int i = 0; i < b; i++) seqs[i] = texts.get(idx[i]);
        if (np > 0) {
            int[] pi = indices(step, np, pairs.size(), PAIR_ORDER_SALT);
            for (int i = 0; i < np; i++) {
                seqs[b + 2 * i] = pairs.first().get(pi[i]);
                seqs[b + 2 * i + 1] = pairs.second().get(pi[i]);
            }
        }
        return Batch.of(seqs);
    }

    /** Seed offset of the pairs' order, apart from the texts'. */
    private static final long PAIR_ORDER_SALT = 0xC05E47L;

    /** The pairs of {@link #batch}'s step: the gold scores [P] and rows of the first and second sentences. */
    private record StepPairs(double[] scores, int[] first, int[] second) {}

    private StepPairs stepPairs(long step) {
        int b = cfg.batch(), np = cfg.cosentPairs();
        int[] pi = indices(step, np, pairs.size(), PAIR_ORDER_SALT);
        double[] y = new double[np];
        int[] a = new int[np], c = new int[np];
        for (int i = 0; i < np; i++) {
            y[i] = pairs.scores()[pi[i]];
            a[i] = b + 2 * i;
            c[i] = b + 2 * i + 1;
        }
        return new StepPairs(y, a, c);
    }

    /** Items (step−1)·k .. step·k−1 of the seeded order over n items (a fresh shuffle per epoch). */
    private int[] indices(long step, int k, int n, long salt) {
        int[] out = new int[k];
        int[] order = null;
        long orderEpoch = -1;
        for (int i = 0; i < k; i++) {
            long g = (step - 1) * k + i;
            long epoch = g / n;
            if (epoch != orderEpoch) {
                order = order(n, salt, epoch);
                orderEpoch = epoch;
            }
            out[i] = order[(int) (g % n)];
        }
        return out;
    }

    /** Epoch {@code e}'s order of the texts: a Fisher-Yates shuffle by java.util.Random (its sequence is specified, so the same on every JDK). */
    int[] order(long epoch) {
        return order(texts.size(), 0, epoch);
    }

    private int[] order(int n, long salt, long epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) o[i] = i;
        java.util.Random r = new java.util.Random((cfg.seed() + salt) * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** One optimiser step on {@code batch}; updates params and moments in place. */
    private TrainingLog.Step step(Parallel par, BertTraining training, Gradients grads, Batch batch, long step, double lr, double clockBase) {
        Teacher.Targets target = teacher.run(par, batch, squareHead);
        Tape tape = training.forward(par, batch, pooling, spare);
        spare = null;
        int b = batch.sequences(), c = teacherModel.config().hiddenSize(), layers = teacherModel.layerCount();
        float[][] dEmb = null;
        float[][] dOut = null;
        Map<String, Double> terms = new LinkedHashMap<>();
        double loss = 0;
        for (DistillModifier.Loss l : cfg.losses()) {
            double x;
            switch (l) {
                case EMBEDDING -> {
                    if (dEmb == null) dEmb = new float[b][c];
                    x = EmbeddingLoss.mse(tape.embeddings(), target.embeddings(), dEmb);
                }
                case COSINE -> {
                    if (dEmb == null) dEmb = new float[b][c];
                    x = EmbeddingLoss.cosine(tape.embeddings(), target.embeddings(), dEmb);
                }
                case SQUAREHEAD -> {
                    float[][] st = new float[layers][];
                    for (int i = 0; i < layers; i++) st[i] = tape.layerOutput(i);
                    dOut = new float[layers][batch.tokens() * c];
                    x = SquareHeadLoss.loss(st, target.layerOutputs(), batch.tokens() * c, dOut);
                }
                case COSENT -> {
                    if (dEmb == null) dEmb = new float[b][c];
                    StepPairs sp = stepPairs(step);
                    x = EmbeddingLoss.cosent(tape.embeddings(), sp.first(), sp.second(), sp.scores(), EmbeddingLoss.COSENT_SCALE,
                            cfg.cosentWeight(), dEmb);
                    terms.put(l.spelling(), x);   // the term as CoSENT reads; the sum takes it weighted
                    loss += cfg.cosentWeight() * x;
                    continue;
                }
                default -> throw new IllegalStateException();
            }
            terms.put(l.spelling(), x);
            loss += x;
        }
        if (!Double.isFinite(loss)) throw new LacunaException("distill: the loss is " + loss + " at step " + step + " (lower lr?)");
        grads.zero();
        training.backward(par, tape, dEmb, dOut, grads);
        float lambda = (float) cfg.srsteDecay();
        denseW.forEach((name, w) -> {            // SR-STE's refining term: pruned weights decay
            float[] g = grads.get(name + ".weight");
            boolean[] k = kept.get(name);
            for (int i = 0; i < w.length; i++) if (!k[i]) g[i] += lambda * w[i];
        });
        List<float[]> gs = new ArrayList<>();
        for (String name : trained) gs.add(grads.get(name));
        double norm = GradientClip.clip(gs, cfg.clip());
        for (String name : trained) {
            String proj = srsteProjection(name);
            float[] p = proj != null ? denseW.get(proj) : params.get(name).data();
            AdamW.step(par, p, m.get(name), v.get(name), grads.get(name), (float) lr, decays(name) ? (float) cfg.weightDecay() : 0f, step);
        }
        reapplyMasks();
        if (srste != null) refreshSrste();
        spare = tape;
        return new TrainingLog.Step(step, loss, terms, lr, norm, batch.tokens(), 0);
    }

    /** The masks the backward keeps gradients on: SR-STE's projections get full gradients (straight through their masks). */
    private Map<String, boolean[]> gradMasks() {
        if (srste == null) return kept;
        Map<String, boolean[]> g = new LinkedHashMap<>(kept);
        g.keySet().removeAll(denseW.keySet());
        return g;
    }

    /** SR-STE after an update: each projection's N:M mask of largest |W|, and the model's weights W ⊙ mask. */
    private void refreshSrste() {
        denseW.forEach((name, w) -> {
            int[] sh = shapes.get(name);
            boolean[] k = MaskSelection.byMagnitude(w, sh[0], sh[1], srste, srste.sparsity());
            float[] p = params.get(name + ".weight").data();
            for (int i = 0; i < w.length; i++) p[i] = k[i] ? w[i] : 0f;
            kept.put(name, k);
        });
    }

    /** The projection whose dense SR-STE weight tensor {@code name} is, or null. */
    private String srsteProjection(String name) {
        if (!name.endsWith(".weight")) return null;
        String proj = name.substring(0, name.length() - ".weight".length());
        return denseW.containsKey(proj) ? proj : null;
    }

    /** Pruned weights back to exactly 0 (AdamW leaves them there already: no gradient, no moment, decay of 0). */
    private void reapplyMasks() {
        kept.forEach((name, k) -> {
            if (denseW.containsKey(name)) return;
            float[] w = params.get(name + ".weight").data();
            for (int i = 0; i < w.length; i++) if (!k[i]) w[i] = 0f;
        });
    }

    /** The student over the current parameters, dense kernels (the caller chooses sparse ones after training). */
    private BertModel rebuild() {
        return BertModel.fromTensors(teacherModel.config(), params);
    }

    /** Steps after which a time budget's step count is fixed again from the loop's own step times. */
    static final int REPLAN_AT = 20;
    /** The second re-plan comes at a tenth of the re-planned count, and not before this step. */
    static final int REPLAN_AT_AGAIN_MIN = 100;

    /** Seconds of the last evaluation (or the probe's), for re-planning. */
    private double evalSecondsEach;

    private Map<String, Double> timed(Function<BertModel, Map<String, Double>> eval, BertModel student) {
        long t0 = System.nanoTime();
        Map<String, Double> q = eval.apply(student);
        evalSecondsEach = (System.nanoTime() - t0) / 1e9;
        return q;
    }

    /**
     * The step count that fills the budget: {@code done} steps taken in {@code spentSeconds}, then
     * steps of {@code stepSeconds} in what is left after {@code evalSeconds} of evaluations; at least
     * {@code done + 1}, at most {@code cap} when given.
     */
    static long replannedSteps(long done, double spentSeconds, double budgetSeconds, double stepSeconds, double evalSeconds, Long cap) {
        double left = budgetSeconds - spentSeconds - evalSeconds;
        long steps = done + Math.max(1, (long) (left / Math.max(1e-9, stepSeconds)));
        return cap == null ? steps : Math.min(steps, cap);
    }

    /**
     * The step count: {@code steps} alone, or as many as fit the time budget by a timed probe (two
     * steps' forward and backward on the first batches, nothing updated, the first one a warm-up),
     * less the time of the evaluations; at most {@code steps} when both are given.
     */
    private long planSteps(Parallel par, Function<BertModel, Map<String, Double>> eval, long budgetNs, int evalPoints) {
        if (cfg.minutes() == null) return cfg.steps();
        BertModel student = rebuild();
        BertTraining training = new BertTraining(student, gradMasks());
        Gradients grads = new Gradients(student, trained::contains);
        double stepSeconds = 0;
        for (int probe = 0; probe < 2; probe++) {
            Batch batch = batch(probe + 1);
            long t0 = System.nanoTime();
            teacher.run(par, batch, squareHead);
            Tape tape = training.forward(par, batch, pooling);
            float[][] dEmb = new float[batch.sequences()][teacherModel.config().hiddenSize()];
            for (float[] d : dEmb) d[0] = 1e-3f;
            grads.zero();
            training.backward(par, tape, dEmb, null, grads);
            BertModel rebuilt = rebuild();
            new BertTraining(rebuilt, gradMasks());
            stepSeconds = (System.nanoTime() - t0) / 1e9 * 1.05;   // + the update and clipping, ~5%
        }
        double evalSeconds = 0;
        if (eval != null && evalPoints > 0) {
            long t0 = System.nanoTime();
            eval.apply(student);
            evalSecondsEach = (System.nanoTime() - t0) / 1e9;
            evalSeconds = evalSecondsEach * (evalPoints + 1);
        }
        double budget = budgetNs / 1e9 - evalSeconds;
        long steps = Math.max(1, (long) (budget / stepSeconds));
        if (cfg.steps() != null) steps = Math.min(steps, cfg.steps());
        System.err.printf(Locale.ROOT, "lacuna: distill: %.2f s per step of %d sequences, %d steps in %.1f minutes (%.0f s of evaluations)%n",
                stepSeconds, cfg.batch() + 2 * cfg.cosentPairs(), steps, cfg.minutes(), evalSeconds);
        return steps;
    }
}
