// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.train.LrSchedule;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recipe step after the prune steps that trains the pruned model to match the dense one (the
 * teacher) on unlabeled text, masks fixed, in the form
 * {@code - distill: {minutes: 60, losses: [embedding, squarehead], lr: 1e-3, batch: 32}}.
 * The settings only; the Distiller of package finetune runs it.
 *
 * @param minutes         wall-clock budget of the training loop, or null for {@code steps} alone
 * @param steps           optimiser steps, or null to derive them from {@code minutes} and the measured step time
 * @param losses          summed: {@code embedding} (MSE of the pooled, normalised embeddings, as
 *                        sentence-transformers' MSELoss distillation), {@code cosine} (1 − cos of them),
 *                        {@code squarehead} (per-layer MSE of the hidden states ÷ the teacher's mean square,
 *                        averaged over layers; Kurtić et al. 2023), {@code cosent} (supervised CoSENT on STS-B
 *                        train pairs, weighted by {@code cosentWeight}; needs {@code --train-stsb})
 * @param lr              peak learning rate of AdamW (default 1e-3: at 1e-4 a 70% MiniLM student underfits its teacher, docs/BENCHMARKS.md "Learning rate")
 * @param batch           sequences per step
 * @param warmup          fraction of the steps with a linear warm-up from 0
 * @param schedule        {@code linear}, {@code cosine} (decay to 0 after warm-up) or {@code constant}
 * @param clip            maximum global L2 norm of the gradients (0: no clipping)
 * @param weightDecay     AdamW's decoupled weight decay
 * @param seed            data order
 * @param maxTokens       tokens per training sequence at most (special tokens included)
 * @param trainEmbeddings whether the token, position and type embedding tables train (they hold half
 *                        of MiniLM's weights and are never pruned; frozen by default)
 * @param masks           {@code fixed} (the prune steps' masks hold) or {@code sr-ste} (N:M only: dense
 *                        weights train, the N:M mask of largest |w| is recomputed every step, gradients
 *                        pass straight through it, pruned weights decay by {@code srsteDecay};
 *                        Zhou et al. 2021)
 * @param srsteDecay      SR-STE's λ_W: (1 − mask)·W·λ_W is added to the gradient (the paper's 2e-4)
 * @param cosentWeight    weight of the {@code cosent} term in the sum (supervised, on STS-B train pairs)
 */
public record DistillModifier(Double minutes, Long steps, List<Loss> losses, double lr, int batch, double warmup, LrSchedule.Shape schedule,
                              double clip, double weightDecay, long seed, int maxTokens, boolean trainEmbeddings, MaskTraining masks,
                              double srsteDecay, double cosentWeight) {
    /** Keys of a {@code distill} step; the YAML contract. */
    public static final List<String> KEYS = List.of("minutes", "steps", "losses", "lr", "batch", "warmup", "schedule", "clip",
            "weight_decay", "seed", "max_tokens", "train_embeddings", "masks", "srste_decay", "cosent_weight");
    public static final double DEFAULT_SRSTE_DECAY = 2e-4;
    /**
     * The {@code cosent} term's default weight: CoSENT's log-sum-exp over a batch's 16 pairs, at scale
     * 20, started at 6.1 on the 70% student against 0.31 for cosine and 0.28 for SquareHead (10-minute
     * run, docs/BENCHMARKS.md "CoSENT"); at 0.05 it enters the sum at about the distillation terms' size.
     */
    public static final double DEFAULT_COSENT_WEIGHT = 0.05;

    /** How masks behave while training. */
    public enum MaskTraining {
        FIXED("fixed"), SR_STE("sr-ste");

        private final String spelling;

        MaskTraining(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }

        public static MaskTraining parse(String s) {
            for (MaskTraining m : values()) if (m.spelling.equals(s)) return m;
            throw new LacunaException("unknown masks '" + s + "' (known: fixed, sr-ste)");
        }
    }
    public static final double DEFAULT_LR = 1e-3, DEFAULT_WARMUP = 0.05, DEFAULT_CLIP = 1.0, DEFAULT_WEIGHT_DECAY = 0.01;
    public static final int DEFAULT_BATCH = 32, DEFAULT_MAX_TOKENS = 128;

    /** A distillation loss term. */
    public enum Loss {
        EMBEDDING, COSINE, SQUAREHEAD,
        /**
         * Supervised CoSENT (Su 2022) on scored pairs: each step also embeds {@code batch / 2} STS-B train
         * pairs (at least one), which the other losses see too.
         */
        COSENT;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Loss parse(String s) {
            for (Loss l : values()) if (l.spelling().equals(s)) return l;
            throw new LacunaException("unknown loss '" + s + "' (known: embedding, cosine, squarehead, cosent)");
        }
    }

    public DistillModifier {
        if (minutes == null && steps == null) throw new LacunaException("give minutes or steps (or both: steps, stopped at the time budget)");
        if (minutes != null && !(minutes > 0 && minutes <= 7 * 24 * 60)) {
            throw new LacunaException("minutes must be in (0, 10080], got " + minutes);
        }
        if (steps != null && (steps < 1 || steps > 100_000_000L)) throw new LacunaException("steps must be in [1, 100000000], got " + steps);
        losses = List.copyOf(losses);
        if (losses.isEmpty()) throw new LacunaException("losses is empty (embedding, cosine, squarehead, cosent)");
        if (losses.stream().distinct().count() != losses.size()) throw new LacunaException("losses lists a loss twice: " + losses);
        if (!(lr > 0 && lr <= 1)) throw new LacunaException("lr must be in (0, 1], got " + lr);
        if (batch < 1 || batch > 4096) throw new LacunaException("batch must be in [1, 4096], got " + batch);
        if (!(warmup >= 0 && warmup < 1)) throw new LacunaException("warmup must be a fraction of the steps in [0, 1), got " + warmup);
        if (schedule == null) throw new LacunaException("schedule is missing");
        if (!(clip >= 0 && Double.isFinite(clip))) throw new LacunaException("clip must be >= 0 (0: off), got " + clip);
        if (!(weightDecay >= 0 && weightDecay < 1)) throw new LacunaException("weight_decay must be in [0, 1), got " + weightDecay);
        if (maxTokens < 8 || maxTokens > 4096) throw new LacunaException("max_tokens must be in [8, 4096], got " + maxTokens);
        if (masks == null) masks = MaskTraining.FIXED;
        if (!(srsteDecay >= 0 && srsteDecay < 1)) throw new LacunaException("srste_decay must be in [0, 1), got " + srsteDecay);
        if (!(cosentWeight > 0 && cosentWeight <= 100)) throw new LacunaException("cosent_weight must be in (0, 100], got " + cosentWeight);
    }

    /** Scored pairs each step embeds for the cosent loss (0 without it). */
    public int cosentPairs() {
        return losses.contains(Loss.COSENT) ? Math.max(1, batch / 2) : 0;
    }

    /** Fixed masks. */
    public DistillModifier(Double minutes, Long steps, List<Loss> losses, double lr, int batch, double warmup, LrSchedule.Shape schedule,
                           double clip, double weightDecay, long seed, int maxTokens, boolean trainEmbeddings) {
        this(minutes, steps, losses, lr, batch, warmup, schedule, clip, weightDecay, seed, maxTokens, trainEmbeddings, MaskTraining.FIXED,
                DEFAULT_SRSTE_DECAY, DEFAULT_COSENT_WEIGHT);
    }

    /** The defaults with a time budget and losses. */
    public static DistillModifier of(double minutes, List<Loss> losses) {
        return new DistillModifier(minutes, null, losses, DEFAULT_LR, DEFAULT_BATCH, DEFAULT_WARMUP, LrSchedule.Shape.LINEAR, DEFAULT_CLIP,
                DEFAULT_WEIGHT_DECAY, 0, DEFAULT_MAX_TOKENS, false);
    }

    /** Parsed from a step's settings (keys already checked against {@link #KEYS}). */
    static DistillModifier parse(Map<String, Object> p) {
        Double minutes = p.containsKey("minutes") ? Recipe.number("minutes", p.get("minutes")) : null;
        Long steps = p.containsKey("steps") ? Recipe.integer("steps", p.get("steps"), 1, 100_000_000L) : null;
        List<Loss> losses = p.containsKey("losses") ? Recipe.strings("losses", p.get("losses")).stream().map(Loss::parse).toList()
                : List.of(Loss.EMBEDDING);
        return new DistillModifier(minutes, steps, losses,
                p.containsKey("lr") ? Recipe.number("lr", p.get("lr")) : DEFAULT_LR,
                p.containsKey("batch") ? (int) Recipe.integer("batch", p.get("batch"), 1, 4096) : DEFAULT_BATCH,
                p.containsKey("warmup") ? Recipe.number("warmup", p.get("warmup")) : DEFAULT_WARMUP,
                p.containsKey("schedule") ? LrSchedule.Shape.parse(Recipe.string("schedule", p.get("schedule"))) : LrSchedule.Shape.LINEAR,
                p.containsKey("clip") ? Recipe.number("clip", p.get("clip")) : DEFAULT_CLIP,
                p.containsKey("weight_decay") ? Recipe.number("weight_decay", p.get("weight_decay")) : DEFAULT_WEIGHT_DECAY,
                p.containsKey("seed") ? Recipe.integer("seed", p.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE) : 0,
                p.containsKey("max_tokens") ? (int) Recipe.integer("max_tokens", p.get("max_tokens"), 8, 4096) : DEFAULT_MAX_TOKENS,
                p.containsKey("train_embeddings") && Recipe.bool("train_embeddings", p.get("train_embeddings")),
                p.containsKey("masks") ? MaskTraining.parse(Recipe.string("masks", p.get("masks"))) : MaskTraining.FIXED,
                p.containsKey("srste_decay") ? Recipe.number("srste_decay", p.get("srste_decay")) : DEFAULT_SRSTE_DECAY,
                p.containsKey("cosent_weight") ? Recipe.number("cosent_weight", p.get("cosent_weight")) : DEFAULT_COSENT_WEIGHT);
    }

    /** The step as a YAML flow mapping's body, every setting spelled out (so that a report says what ran). */
    String toYaml() {
        StringBuilder sb = new StringBuilder();
        if (minutes != null) sb.append("minutes: ").append(minutes).append(", ");
        if (steps != null) sb.append("steps: ").append(steps).append(", ");
        sb.append("losses: [").append(String.join(", ", losses.stream().map(Loss::spelling).toList())).append("]");
        sb.append(", lr: ").append(lr).append(", batch: ").append(batch).append(", warmup: ").append(warmup);
        sb.append(", schedule: ").append(schedule.spelling()).append(", clip: ").append(clip).append(", weight_decay: ").append(weightDecay);
        sb.append(", seed: ").append(seed).append(", max_tokens: ").append(maxTokens);
        if (trainEmbeddings) sb.append(", train_embeddings: true");
        if (masks != MaskTraining.FIXED) sb.append(", masks: ").append(masks.spelling()).append(", srste_decay: ").append(srsteDecay);
        if (losses.contains(Loss.COSENT)) sb.append(", cosent_weight: ").append(cosentWeight);
        return sb.toString();
    }
}
