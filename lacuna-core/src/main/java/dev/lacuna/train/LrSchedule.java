// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.LacunaException;

import java.util.Locale;

/**
 * The learning rate at each optimiser step: a linear warm-up from 0 over {@code warmupSteps}, then
 * {@link Shape#LINEAR} decay to 0 at {@code totalSteps}, {@link Shape#COSINE} decay to 0
 * (½·(1 + cos πp) of the peak at progress p), or {@link Shape#CONSTANT} (as the Hugging Face
 * {@code get_linear_schedule_with_warmup} / {@code get_cosine_schedule_with_warmup} /
 * {@code get_constant_schedule_with_warmup} schedulers).
 */
public record LrSchedule(double peak, long warmupSteps, long totalSteps, Shape shape) {
    /** The decay after warm-up. */
    public enum Shape {
        LINEAR, COSINE, CONSTANT;

        public String spelling() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Shape parse(String s) {
            for (Shape v : values()) if (v.spelling().equals(s)) return v;
            throw new LacunaException("unknown schedule '" + s + "' (known: linear, cosine, constant)");
        }
    }

    public LrSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("peak learning rate must be > 0, got " + peak);
        if (totalSteps < 1 || warmupSteps < 0 || warmupSteps > totalSteps) {
            throw new IllegalArgumentException("schedule: warm-up " + warmupSteps + " of " + totalSteps + " steps");
        }
    }

    /** The rate of step {@code t}, counted from 1 (the first update already has a non-zero rate when warm-up is on). */
    public double at(long t) {
        if (t < 1 || t > totalSteps) throw new IllegalArgumentException("step " + t + " outside [1, " + totalSteps + "]");
        if (t <= warmupSteps) return peak * t / (warmupSteps + 1);
        if (shape == Shape.CONSTANT) return peak;
        double p = (double) (t - warmupSteps) / (totalSteps - warmupSteps + 1);   // in (0, 1): the last step is not 0
        return shape == Shape.LINEAR ? peak * (1 - p) : peak * 0.5 * (1 + Math.cos(Math.PI * p));
    }
}
