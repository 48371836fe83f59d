// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.io.Progress;
import dev.lacuna.kernel.Ops;
import dev.lacuna.tensor.FloatTensor;
import dev.lacuna.train.AdamW;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains an SAE on an {@link ActivationStore}: Adam, LR warm-up and linear decay, unit-norm decoder
 * rows (gradient parallel to each row removed before the step, rows renormalised after it), b_dec
 * initialised to the geometric median of a sample, dead-latent counters feeding aux_k / aux_zipf,
 * inference thresholds for the batch-level architectures, checkpoints that resume bit-exactly.
 *
 * <p>Inputs are scaled by one factor s so that E||s·x||² = d_in (SAELens's
 * "expected_average_only_in"), which makes learning rates and penalties transferable across hooks;
 * the saved SAE has s folded into its weights and reads raw activations.
 */
public final class SaeTrainer {
    public static final String STATE = "trainer_state.safetensors";

    /**
     * @param lr            peak learning rate
     * @param batch         tokens per step
     * @param tokens        training tokens in all
     * @param warmupFrac    fraction of steps of linear warm-up (SAELens lr_warm_up_steps)
     * @param decayFrac     fraction of final steps of linear decay to 0 (SAELens lr_decay_steps)
     * @param seed          seeds initialisation and the shuffled read order
     * @param penaltyWarmupFrac fraction of steps over which the sparsity penalty (relu's λ of L1,
     *                      jumprelu's λ of L0) rises linearly from 0 (Anthropic's April 2024 recipe: 5%)
     * @param initialL0     relu, jumprelu: the mean L0 their gates start at (set from the data)
     */
    public record Options(double lr, int batch, long tokens, double warmupFrac, double decayFrac, long seed, double penaltyWarmupFrac, int initialL0) {
        /** With the default penalty warm-up (5% of the steps) and initial L0 (32). */
        public Options(double lr, int batch, long tokens, double warmupFrac, double decayFrac, long seed) {
            this(lr, batch, tokens, warmupFrac, decayFrac, seed, 0.05, 32);
        }

        public Options {
            if (initialL0 < 1) throw new LacunaException("the initial L0 (--k) must be >= 1, got " + initialL0);
            if (!(penaltyWarmupFrac >= 0 && penaltyWarmupFrac <= 1)) throw new LacunaException("the penalty warm-up fraction must be in [0, 1], got " + penaltyWarmupFrac);
            if (!(lr > 0)) throw new LacunaException("--lr must be > 0, got " + lr);
            if (batch < 1) throw new LacunaException("--batch must be >= 1, got " + batch);
            if (tokens < batch) throw new LacunaException("--tokens (" + tokens + ") must be at least one batch (" + batch + ")");
            if (warmupFrac < 0 || decayFrac < 0 || warmupFrac + decayFrac > 1) throw new LacunaException("--lr-warm-up and --lr-decay must be >= 0 and sum to <= 1, got " + warmupFrac + " and " + decayFrac);
        }

        long steps() {
            return tokens / batch;
        }

        double lrAt(long step) {
            long n = steps();
            long warm = (long) (warmupFrac * n), decay = (long) (decayFrac * n);
            double f = 1;
            if (warm > 0 && step < warm) f = (step + 1.0) / warm;
            if (decay > 0 && step >= n - decay) f = Math.min(f, (double) (n - step) / decay);
            return lr * f;
        }

        /** Multiplier of the sparsity penalty at {@code step}: linear warm-up from 1/warm to 1. */
        double penaltyAt(long step) {
            long warm = (long) (penaltyWarmupFrac * steps());
            return warm > 0 && step < warm ? (step + 1.0) / warm : 1;
        }
    }

    /** Everything that changes during training; saved in trainer_state.safetensors. */
    static final class State {
        final SaeParams p, m, v;
        final long[] sinceFired;   // [d_sae] training tokens since each latent last fired
        final float[] freq;        // [d_sae] running firing frequency per token (aux_zipf)
        long step;
        float scale;               // s: inputs are multiplied by it

        State(int dIn, int dSae) {
            p = new SaeParams(dIn, dSae);
            m = new SaeParams(dIn, dSae);
            v = new SaeParams(dIn, dSae);
            sinceFired = new long[dSae];
            freq = new float[dSae];
        }
    }

    /** Called at checkpoints with the directory-writing function for the current state. */
    @FunctionalInterface
    public interface Checkpointer {
        void save(long tokensSeen, java.util.function.Consumer<Path> writeInto);
    }

    private final SaeConfig cfg;
    private final Options opt;
    private final SaeArchitecture arch;
    private final State st;
    private final ObjectNode provenance;
    private double lastFve = Double.NaN;
    private dev.lacuna.model.Profile profile;
    private double seconds;

    private SaeTrainer(SaeConfig cfg, Options opt, State st, ObjectNode provenance) {
        this.cfg = cfg;
        this.opt = opt;
        this.arch = SaeArchitecture.of(cfg);
        this.st = st;
        this.provenance = provenance;
    }

    /** A fresh trainer: initialises parameters from the store's data. */
    public static SaeTrainer create(SaeConfig cfg, Options opt, ActivationRows store) {
        check(store, cfg);
        State st = new State(cfg.dIn(), cfg.dSae());
        Random rng = new Random(opt.seed());
        int d = cfg.dIn(), l = cfg.dSae();
        // a sample of rows for the scale and b_dec
        int n = (int) Math.min(store.tokens(), 8192);
        if (n == 0) throw new LacunaException("the activations are empty");
        int[] perm = store.permutation(opt.seed(), -1);
        float[] sample = new float[n * d];
        for (int i = 0; i < n; i++) store.row(perm[i], sample, i * d);
        double sq = 0;
        for (float x : sample) sq += (double) x * x;
        st.scale = (float) Math.sqrt(d / Math.max(1e-30, sq / n));
        for (int i = 0; i < sample.length; i++) sample[i] *= st.scale;
        System.arraycopy(geometricMedian(sample, n, d, 50), 0, st.p.bDec, 0, d);
        // decoder rows: random unit directions; encoder tied to the decoder (Gao et al. 2024, Section 2.4)
        for (int j = 0; j < l; j++) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                float w = (float) rng.nextGaussian();
                st.p.wDec[j * d + i] = w;
                norm += (double) w * w;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < d; i++) st.p.wDec[j * d + i] *= inv;
        }
        System.arraycopy(st.p.wDec, 0, st.p.wEnc, 0, l * d);
        Arrays.fill(st.p.logThreshold, (float) Math.log(0.1)); // jumprelu; unused by the others
        if (!cfg.kind().usesK()) initialSparsity(SaeArchitecture.of(cfg), opt.initialL0(), st.p, sample, n);
        ObjectNode prov = new ObjectMapper().createObjectNode();
        prov.put("store_tokens", store.tokens());
        if (store instanceof ActivationStore as) {
            prov.put("store", as.dir().toAbsolutePath().toString());
            prov.put("store_model", as.info().model());
            prov.put("store_hook", as.info().hook());
            prov.put("store_texts", String.join(",", as.info().texts()));
            prov.put("store_created", as.info().created());
        }
        return new SaeTrainer(cfg, opt, st, prov);
    }

    /**
     * ReLU and JumpReLU start dense with the tied initialisation (half the latents fire on every token,
     * L0 ~ L/2), which takes thousands of steps of the penalty to undo and makes those steps slow. Instead,
     * each latent's gate starts at its (1 − L0₀/L) quantile of pre-activations on the sample, so that the
     * mean L0 starts near L0₀ ({@link Options#initialL0}): {@link SaeArchitecture#startGate} (relu sets
     * b_enc[j] = −q_j, jumprelu sets θ_j = q_j).
     */
    private static void initialSparsity(SaeArchitecture arch, int initialL0, SaeParams p, float[] sample, int n) {
        int d = p.dIn, l = p.dSae;
        int rows = Math.min(n, 2048);
        SaeArchitecture.Work w = new SaeArchitecture.Work().ensure(rows, d, l);
        SaeArchitecture.encodePre(Parallel.serial(), p, sample, rows, w);
        int rank = (int) Math.max(1, Math.min(rows, Math.round((double) rows * Math.min(initialL0, l) / l))); // rank-th largest per latent
        float[] col = new float[rows], top = new float[rank];
        int[] topIdx = new int[rank];
        for (int j = 0; j < l; j++) {
            for (int b = 0; b < rows; b++) col[b] = w.pre[b * l + j] - p.bEnc[j];
            TopKSae.topK(col, 0, rows, rank, null, topIdx, top);
            float q = top[0]; // the heap's minimum: the rank-th largest
            arch.startGate(p, j, q);
        }
        p.changed();
    }

    /** Weiszfeld iterations for the geometric median of rows [n, d], starting from the mean. */
    static float[] geometricMedian(float[] x, int n, int d, int iterations) {
        double[] y = new double[d];
        for (int r = 0; r < n; r++) for (int i = 0; i < d; i++) y[i] += x[r * d + i];
        for (int i = 0; i < d; i++) y[i] /= n;
        for (int it = 0; it < iterations; it++) {
            double[] num = new double[d];
            double den = 0;
            for (int r = 0; r < n; r++) {
                double dist = 0;
                for (int i = 0; i < d; i++) {
                    double t = x[r * d + i] - y[i];
                    dist += t * t;
                }
                double w = 1 / Math.max(Math.sqrt(dist), 1e-8);
                for (int i = 0; i < d; i++) num[i] += w * x[r * d + i];
                den += w;
            }
            for (int i = 0; i < d; i++) y[i] = num[i] / den;
        }
        float[] out = new float[d];
        for (int i = 0; i < d; i++) out[i] = (float) y[i];
        return out;
    }

    public SaeConfig config() {
        return cfg;
    }

    public long tokensSeen() {
        return st.step * opt.batch();
    }

    /** Tokens the run trains to (whole batches). */
    public long targetTokens() {
        return opt.steps() * opt.batch();
    }

    /** Adds a provenance field to cfg.json (e.g. the store and split the command trained on). */
    public void note(String key, String value) {
        provenance.put(key, value);
    }

    /** Records wall time per part of a step into {@code p}. */
    public void profile(dev.lacuna.model.Profile p) {
        this.profile = p;
    }

    public double seconds() {
        return seconds;
    }

    /** Reconstruction FVE over the last steps (a running estimate on training batches). */
    public double recentFve() {
        return lastFve;
    }

    /** Trains until opt.tokens; calls {@code ckpt} every {@code checkpointEvery} tokens (0: never). */
    private static void check(ActivationRows rows, SaeConfig cfg) {
        if (rows instanceof ActivationStore as) as.checkMatches("the SAE", null, cfg.hookName(), cfg.dIn());
        else if (rows.dIn() != cfg.dIn()) throw new LacunaException("activation rows have d_in " + rows.dIn() + ", the SAE expects " + cfg.dIn());
    }

    public void train(Parallel par, ActivationRows store, Progress progress, long checkpointEvery, Checkpointer ckpt) {
        check(store, cfg);
        int d = cfg.dIn(), l = cfg.dSae(), bsz = opt.batch();
        long total = store.tokens();
        if (total < bsz) throw new LacunaException("the activations have " + total + " tokens, fewer than one batch (" + bsz + ")");
        float[] x = new float[bsz * d];
        SaeParams g = new SaeParams(d, l);
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        w.profile = profile;
        boolean[] auxMask = new boolean[l];
        int[] perm = null;
        long permEpoch = -1;
        double fveNum = 0, fveDen = 0;
        long t0 = System.nanoTime();
        while (st.step < opt.steps()) {
            if (profile != null) profile.start();
            // rows [step·B, step·B + B) of the endless sequence of shuffled epochs
            long cursor = st.step * bsz;
            for (int r = 0; r < bsz; ) {
                long epoch = (cursor + r) / total;
                int off = (int) ((cursor + r) % total);
                if (epoch != permEpoch) {
                    perm = store.permutation(opt.seed(), (int) epoch);
                    permEpoch = epoch;
                }
                int take = (int) Math.min(bsz - r, total - off);
                for (int q = 0; q < take; q++) store.row(perm[off + q], x, (r + q) * d);
                r += take;
            }
            float s = st.scale;
            for (int i = 0; i < x.length; i++) x[i] *= s;
            boolean[] mask = auxMaskFor(auxMask);
            g.zeroSmall(); // W_enc and W_dec gradients are zeroed by the optimiser step that consumed them
            if (profile != null) profile.lap("read_batch");
            arch.penaltyScale = opt.penaltyAt(st.step);
            SaeArchitecture.Losses loss = arch.forwardBackward(par, st.p, x, bsz, g, mask, w);
            if (!Double.isFinite(loss.total())) throw new LacunaException("training diverged at step " + st.step + " (loss " + loss.total() + "); lower --lr");
            // running FVE: batch residual energy over batch variance
            double[] mean = new double[d];
            for (int b = 0; b < bsz; b++) for (int i = 0; i < d; i++) mean[i] += x[b * d + i];
            double var = 0;
            for (int b = 0; b < bsz; b++) for (int i = 0; i < d; i++) {
                double t = x[b * d + i] - mean[i] / bsz;
                var += t * t;
            }
            fveNum = 0.95 * fveNum + loss.sumSqErr();
            fveDen = 0.95 * fveDen + var;
            lastFve = 1 - fveNum / fveDen;
            if (profile != null) profile.start();
            optimiserStep(par, g, opt.lrAt(st.step), st.step + 1);
            st.p.changed();
            arch.afterStep(st.p, w.codes(), st.step);
            updateCounters(w.codes(), bsz);
            if (profile != null) profile.lap("adam_norm_counters");
            st.step++;
            if (progress != null) progress.advance(bsz);
            if (checkpointEvery > 0 && ckpt != null && st.step < opt.steps() && (st.step * bsz) / checkpointEvery != ((st.step - 1) * bsz) / checkpointEvery) {
                seconds += (System.nanoTime() - t0) / 1e9;
                t0 = System.nanoTime();
                ckpt.save(tokensSeen(), this::writeCheckpoint);
            }
        }
        seconds += (System.nanoTime() - t0) / 1e9;
        calibrateThresholds(par, store);
    }

    /** Final inference thresholds of the batch-level architectures, from up to 8 fixed batches (deterministic). */
    private void calibrateThresholds(Parallel par, ActivationRows store) {
        if (cfg.kind().threshold() != SaeKind.Threshold.ESTIMATED) return;
        int d = cfg.dIn(), bsz = opt.batch();
        int batches = (int) Math.min(8, store.tokens() / bsz);
        if (batches == 0) return;
        int[] perm = store.permutation(opt.seed(), -2);
        float[] x = new float[batches * bsz * d];
        for (int i = 0; i < batches * bsz; i++) store.row(perm[i], x, i * d);
        for (int i = 0; i < x.length; i++) x[i] *= st.scale;
        arch.calibrate(par, st.p, x, batches, bsz);
    }

    private double[] zipfTarget;   // zipfTargets(k, d_sae), by usage rank; computed once

    /** Latents eligible for the auxiliary loss: dead ones (aux_k), or dead and under Zipf share (aux_zipf); null when off. */
    private boolean[] auxMaskFor(boolean[] mask) {
        boolean zipf = cfg.auxZipfCoefficient() > 0, auxk = cfg.kind().aux() == SaeKind.Aux.AUX_K && cfg.auxKCoefficient() > 0;
        if (!zipf && !auxk) return null;
        int l = cfg.dSae();
        boolean any = false;
        for (int j = 0; j < l; j++) {
            mask[j] = st.sinceFired[j] >= cfg.deadTokens();
            any |= mask[j];
        }
        if (zipf && st.step * opt.batch() >= cfg.deadTokens()) {
            // aux_zipf_loss (Ayonrinde 2024): a latent whose firing frequency is under half of the Zipf
            // share of its usage rank is under-used (zipfTargets: shares ∝ 1/rank, at most one firing per
            // token, k per token in all)
            if (zipfTarget == null) zipfTarget = zipfTargets(cfg.k(), l);
            boolean[] under = underUsed(st.freq, zipfTarget);
            for (int j = 0; j < l; j++) {
                if (under[j]) {
                    mask[j] = true;
                    any = true;
                }
            }
        }
        return any ? mask : null;
    }

    /** Latents whose firing frequency is under half of the target of their usage rank (ties: lower index ranks first). */
    static boolean[] underUsed(float[] freq, double[] target) {
        int l = freq.length;
        Integer[] order = new Integer[l];
        for (int j = 0; j < l; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> Float.compare(freq[b], freq[a]));
        boolean[] under = new boolean[l];
        for (int r = 0; r < l; r++) under[order[r]] = freq[order[r]] < 0.5 * target[r];
        return under;
    }

    /**
     * Target firing frequency (firings per token) of the latent of usage rank r (0 = most used) among
     * {@code latents}: Zipf-shaped, min(1, c / (r + 1)), with c chosen so that the targets sum to
     * {@code k}, the firings per token. A latent fires at most once per token, so a plain k / (H·(r+1))
     * (H the harmonic number) would ask the top ranks for more than one firing per token (3.4 at
     * k = 32 over 6,144 latents) and flag the densest latents as under-used forever; capping at 1 and
     * handing the excess to the lower ranks keeps both the Zipf shape and the total.
     */
    static double[] zipfTargets(int k, int latents) {
        if (k >= latents) {
            double[] all = new double[latents];
            Arrays.fill(all, 1.0);
            return all;
        }
        // Σ_r min(1, c/(r+1)) grows with c: bisect for the c that makes it k
        double lo = 0, hi = latents;
        for (int it = 0; it < 100; it++) {
            double c = (lo + hi) / 2, sum = 0;
            for (int r = 0; r < latents; r++) sum += Math.min(1.0, c / (r + 1));
            if (sum < k) lo = c;
            else hi = c;
        }
        double c = (lo + hi) / 2;
        double[] t = new double[latents];
        for (int r = 0; r < latents; r++) t[r] = Math.min(1.0, c / (r + 1));
        return t;
    }

    private void updateCounters(Codes c, int rows) {
        int l = cfg.dSae();
        int[] count = new int[l];
        for (int b = 0; b < c.rows; b++) for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) if (c.val[q] > 0) count[c.idx[q]]++;
        for (int j = 0; j < l; j++) {
            st.sinceFired[j] = count[j] > 0 ? 0 : st.sinceFired[j] + rows;
            st.freq[j] = 0.99f * st.freq[j] + 0.01f * ((float) count[j] / rows);
        }
    }

    /** Latents that have not fired for dead_tokens training tokens. */
    public int deadLatents() {
        int n = 0;
        for (long s : st.sinceFired) if (s >= cfg.deadTokens()) n++;
        return n;
    }

    /**
     * One optimiser step over all trained arrays, latent by latent so that a latent's rows stay in cache:
     * <pre>
     *   g.wDec[j] −= (g.wDec[j] · w_j) w_j      (unit-norm decoders: the step stays tangent to the sphere, SAELens)
     *   Adam on W_enc[j] and W_dec[j]
     *   w_j ← w_j / ||w_j||                    (unit-norm decoders)
     *   g.wEnc[j] = g.wDec[j] = 0              (ready for the next batch's accumulation)
     * </pre>
     * then Adam on the vectors. Every operation is elementwise or within one row, so any split over
     * threads gives the same bits.
     */
    private void optimiserStep(Parallel par, SaeParams g, double lr, long t) {
        final float c1 = AdamW.correction(AdamW.B1, t), c2 = AdamW.correction(AdamW.B2, t);
        final float a = (float) lr;
        final SaeParams p = st.p, m = st.m, v = st.v;
        final int d = p.dIn;
        final boolean unit = arch.unitNormDecoder();
        par.forRange(p.dSae, 64, (s, e) -> {
            for (int j = s; j < e; j++) {
                int o = j * d;
                AdamW.vector(p.wEnc, m.wEnc, v.wEnc, g.wEnc, o, o + d, a, 0f, c1, c2);
                Arrays.fill(g.wEnc, o, o + d, 0f);
                if (unit) {
                    float dot = Ops.dot(g.wDec, o, p.wDec, o, d);
                    if (dot != 0f) Ops.axpy(-dot, p.wDec, o, g.wDec, o, d);
                }
                AdamW.vector(p.wDec, m.wDec, v.wDec, g.wDec, o, o + d, a, 0f, c1, c2);
                Arrays.fill(g.wDec, o, o + d, 0f);
                if (unit) {
                    float n = (float) Math.sqrt(Ops.dot(p.wDec, o, p.wDec, o, d));
                    if (n > 0) for (int i = 0; i < d; i++) p.wDec[o + i] /= n;
                }
            }
        });
        AdamW.vector(p.bEnc, m.bEnc, v.bEnc, g.bEnc, 0, p.dSae, a, 0f, c1, c2);
        AdamW.vector(p.bDec, m.bDec, v.bDec, g.bDec, 0, d, a, 0f, c1, c2);
        if (cfg.kind().threshold() == SaeKind.Threshold.LEARNED) AdamW.vector(p.logThreshold, m.logThreshold, v.logThreshold, g.logThreshold, 0, p.dSae, a, 0f, c1, c2);
    }

    /** The SAE on the raw activation scale (s folded into the weights): a copy, independent of further training. */
    public Sae toSae() {
        SaeParams f = st.p.copy();
        float s = st.scale;
        // pre = (s·x − b_dec)·W_encᵀ + b_enc = (x − b_dec/s)·(s·W_enc)ᵀ + b_enc;  x̂ = (z·W_dec + b_dec)/s
        for (int i = 0; i < f.wEnc.length; i++) f.wEnc[i] *= s;
        for (int i = 0; i < f.wDec.length; i++) f.wDec[i] /= s;
        for (int i = 0; i < f.bDec.length; i++) f.bDec[i] /= s;
        f.changed();
        return new Sae(cfg, f, cfgJson());
    }

    private ObjectNode cfgJson() {
        ObjectNode j = cfg.toJson();
        j.put("lr", opt.lr());
        j.put("train_batch_size_tokens", opt.batch());
        j.put("training_tokens", opt.tokens());
        j.put("lr_warm_up_fraction", opt.warmupFrac());
        j.put("lr_decay_fraction", opt.decayFrac());
        j.put("l1_warm_up_fraction", opt.penaltyWarmupFrac());
        if (!cfg.kind().usesK()) j.put("initial_l0", opt.initialL0());
        j.put("l1_warm_up_steps", (long) (opt.penaltyWarmupFrac() * opt.steps())); // SAELens's name (it applies to L0 for jumprelu)
        j.put("seed", opt.seed());
        j.put("trained_tokens", tokensSeen());
        j.put("norm_scaling_factor_folded", st.scale);
        j.set("provenance", provenance);
        j.put("lacuna_version", Version.get());
        return j;
    }

    /** Writes the SAE (cfg.json, sae_weights.safetensors) and the trainer state into dir. */
    public void writeCheckpoint(Path dir) {
        toSae().write(dir);
        Map<String, TensorEntry> t = new LinkedHashMap<>();
        String[] prefixes = {"param.", "adam_m.", "adam_v."};
        SaeParams[] sets = {st.p, st.m, st.v};
        for (int s = 0; s < sets.length; s++) {
            float[][] arrs = sets[s].all();
            for (int k = 0; k < arrs.length; k++) {
                String name = prefixes[s] + SaeParams.NAMES[k];
                t.put(name, TensorEntry.of(name, new FloatTensor(new int[] {arrs[k].length}, arrs[k].clone())));
            }
        }
        t.put("since_fired", TensorEntry.ofLongs("since_fired", new long[] {cfg.dSae()}, st.sinceFired.clone()));
        t.put("freq", TensorEntry.of("freq", new FloatTensor(new int[] {cfg.dSae()}, st.freq.clone())));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("step", Long.toString(st.step));
        meta.put("scale_bits", Integer.toString(Float.floatToRawIntBits(st.scale)));
        Safetensors.write(dir.resolve(STATE), t, meta);
    }

    /**
     * Resumes from a checkpoint directory: configuration and options from its cfg.json (training_tokens
     * replaced by {@code tokens} when not null), state from trainer_state.safetensors.
     */
    public static SaeTrainer resume(Path dir, Long tokens) {
        Sae saved = Sae.load(dir);
        JsonNode j = saved.cfgJson();
        SaeConfig cfg = saved.config();
        Options opt = new Options(j.path("lr").asDouble(), j.path("train_batch_size_tokens").asInt(), tokens != null ? tokens : j.path("training_tokens").asLong(),
                j.path("lr_warm_up_fraction").asDouble(), j.path("lr_decay_fraction").asDouble(), j.path("seed").asLong(),
                j.path("l1_warm_up_fraction").asDouble(0), j.path("initial_l0").asInt(32));
        State st = new State(cfg.dIn(), cfg.dSae());
        Path sf = dir.resolve(STATE);
        if (!Files.exists(sf)) throw new LacunaException(sf + ": missing, the SAE cannot be resumed (it was not saved by 'lacuna sae train')");
        try (SafetensorsFile f = Safetensors.open(sf)) {
            String[] prefixes = {"param.", "adam_m.", "adam_v."};
            SaeParams[] sets = {st.p, st.m, st.v};
            for (int s = 0; s < sets.length; s++) {
                float[][] arrs = sets[s].all();
                for (int k = 0; k < arrs.length; k++) copy(f, prefixes[s] + SaeParams.NAMES[k], arrs[k], sf);
            }
            TensorEntry sfired = f.get("since_fired");
            if (sfired == null || sfired.elementCount() != cfg.dSae()) throw new LacunaException(sf + ": tensor since_fired missing or of the wrong size");
            System.arraycopy(sfired.toLongArray(), 0, st.sinceFired, 0, cfg.dSae());
            copy(f, "freq", st.freq, sf);
            try {
                st.step = Long.parseLong(f.metadata().get("step"));
                st.scale = Float.intBitsToFloat(Integer.parseInt(f.metadata().get("scale_bits")));
            } catch (RuntimeException e) {
                throw new LacunaException(sf + ": metadata step / scale_bits missing or invalid (corrupt checkpoint)");
            }
        }
        ObjectNode prov = j.path("provenance").isObject() ? (ObjectNode) j.get("provenance") : new ObjectMapper().createObjectNode();
        return new SaeTrainer(cfg, opt, st, prov);
    }

    private static void copy(SafetensorsFile f, String name, float[] dst, Path where) {
        TensorEntry e = f.get(name);
        if (e == null) throw new LacunaException(where + ": missing tensor " + name + " (corrupt checkpoint)");
        if (e.elementCount() != dst.length) throw new LacunaException(where + ": tensor " + name + " has " + e.elementCount() + " values, expected " + dst.length);
        System.arraycopy(e.toFloatTensor().data(), 0, dst, 0, dst.length);
    }

    /** The state's arrays by name (for tests comparing runs bit for bit). */
    Map<String, float[]> stateArrays() {
        Map<String, float[]> m = new LinkedHashMap<>();
        String[] prefixes = {"param.", "adam_m.", "adam_v."};
        SaeParams[] sets = {st.p, st.m, st.v};
        for (int s = 0; s < sets.length; s++) {
            float[][] arrs = sets[s].all();
            for (int k = 0; k < arrs.length; k++) m.put(prefixes[s] + SaeParams.NAMES[k], arrs[k]);
        }
        m.put("freq", st.freq);
        return m;
    }

    /** Latents whose running firing frequency is above {@link SaeEvaluator#DENSE_FRACTION}. */
    public int denseLatents() {
        int n = 0;
        for (float f : st.freq) if (f > SaeEvaluator.DENSE_FRACTION) n++;
        return n;
    }

    public String summary() {
        return String.format(Locale.ROOT, "%s: %d steps, %d tokens, running FVE %.4f, dead %d / %d, dense %d", cfg, st.step, tokensSeen(), lastFve,
                deadLatents(), cfg.dSae(), denseLatents());
    }

    static JsonNode readJson(Path p) {
        try {
            return new ObjectMapper().readTree(Files.readString(p));
        } catch (NoSuchFileException e) {
            throw new LacunaException(p + ": no such file");
        } catch (IOException e) {
            throw new LacunaException(p + ": not valid JSON");
        }
    }
}
