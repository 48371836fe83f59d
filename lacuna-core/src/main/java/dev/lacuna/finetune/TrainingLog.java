// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.finetune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a training run recorded: one entry per optimiser step and the quality measured at a few
 * evaluation points. Kept in checkpoints so that a resumed run's log is the uninterrupted run's.
 *
 * @param steps  per step, in order
 * @param evals  per evaluation point, in order
 */
public record TrainingLog(List<Step> steps, List<Eval> evals) {
    /**
     * One optimiser step.
     *
     * @param step     from 1
     * @param loss     the summed loss of the step's batch
     * @param terms    each loss term by name
     * @param lr       the learning rate used
     * @param gradNorm the global gradient norm before clipping
     * @param tokens   tokens in the batch
     * @param seconds  wall time since the run began (a resumed run continues the clock)
     */
    public record Step(long step, double loss, Map<String, Double> terms, double lr, double gradNorm, int tokens, double seconds) {}

    /** Quality after {@code step} steps (0: before training), metric name to value. */
    public record Eval(long step, Map<String, Double> metrics) {}

    public TrainingLog() {
        this(new ArrayList<>(), new ArrayList<>());
    }

    /** The same log with every step's clock at 0: what two runs of the same steps must agree on. */
    public TrainingLog withoutTimes() {
        List<Step> s = new ArrayList<>();
        for (Step x : steps) s.add(new Step(x.step(), x.loss(), x.terms(), x.lr(), x.gradNorm(), x.tokens(), 0));
        return new TrainingLog(s, new ArrayList<>(evals));
    }

    /** Mean loss of the last {@code n} steps (NaN before any). */
    public double recentLoss(int n) {
        int from = Math.max(0, steps.size() - n);
        double s = 0;
        for (int i = from; i < steps.size(); i++) s += steps.get(i).loss();
        return steps.size() == from ? Double.NaN : s / (steps.size() - from);
    }
}
