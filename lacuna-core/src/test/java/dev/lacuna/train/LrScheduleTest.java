// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.LacunaException;
import dev.lacuna.train.LrSchedule.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Steps count from 1; warm-up ramps t/(w+1) of the peak, decay reaches (but never takes) 0 after the last step. */
class LrScheduleTest {
    private static final double PEAK = 1e-4, EPS = 1e-15;

    @Test
    void warmUpIsLinearFromZeroAndTheFirstStepIsNotZero() {
        LrSchedule s = new LrSchedule(PEAK, 9, 100, Shape.LINEAR);
        assertTrue(s.at(1) > 0);
        for (long t = 1; t <= 9; t++) assertEquals(PEAK * t / 10, s.at(t), EPS, "step " + t);
        // equal increments: linear, starting from 0 at step 0
        for (long t = 2; t <= 9; t++) assertEquals(s.at(1), s.at(t) - s.at(t - 1), EPS);
    }

    @Test
    void thePeakComesAtTheEndOfWarmUp() {
        for (Shape shape : Shape.values()) {
            LrSchedule s = new LrSchedule(PEAK, 9, 1000, shape);
            long argmax = 1;
            for (long t = 1; t <= 1000; t++) {
                assertTrue(s.at(t) <= PEAK, shape + " step " + t + " above the peak: " + s.at(t));
                if (s.at(t) > s.at(argmax)) argmax = t;
            }
            // the ramp's steps are below the peak; the first step after it is within 1/(total − warm-up + 1) of it
            assertEquals(10, argmax, shape.toString());
            double first = switch (shape) {
                case CONSTANT -> PEAK;
                case LINEAR -> PEAK * (1 - 1.0 / 992);
                case COSINE -> PEAK * 0.5 * (1 + Math.cos(Math.PI / 992));
            };
            assertEquals(first, s.at(10), EPS, shape.toString());
            assertTrue(s.at(9) < s.at(10), shape.toString());
        }
        // no warm-up: the first step is (nearly) the peak
        assertEquals(PEAK * 10 / 11, new LrSchedule(PEAK, 0, 10, Shape.LINEAR).at(1), EPS);
        assertEquals(PEAK, new LrSchedule(PEAK, 0, 10, Shape.CONSTANT).at(1), EPS);
    }

    @Test
    void linearDecaysToNearlyZeroAtTheLastStep() {
        LrSchedule s = new LrSchedule(PEAK, 10, 110, Shape.LINEAR);
        // p = (t − 10)/101 after warm-up
        for (long t = 11; t <= 110; t++) assertEquals(PEAK * (1 - (t - 10) / 101.0), s.at(t), EPS, "step " + t);
        for (long t = 12; t <= 110; t++) assertEquals(PEAK / 101, s.at(t - 1) - s.at(t), EPS, "equal decrements at " + t);
        double last = s.at(110);
        assertTrue(last > 0, "the last step still updates");
        assertEquals(PEAK / 101, last, EPS);
    }

    @Test
    void cosineHasItsShapeAtKnownPoints() {
        // warm-up 10, 89 decay steps: p = (t − 10)/90, so p = 1/2 at t = 55, 1/3 at 40, 2/3 at 70
        LrSchedule s = new LrSchedule(PEAK, 10, 99, Shape.COSINE);
        assertEquals(PEAK * 0.5, s.at(55), EPS);
        assertEquals(PEAK * 0.75, s.at(40), EPS);   // ½(1 + cos π/3)
        assertEquals(PEAK * 0.25, s.at(70), EPS);   // ½(1 + cos 2π/3)
        assertEquals(PEAK * 0.5 * (1 + Math.cos(Math.PI * 89 / 90)), s.at(99), EPS);
        assertTrue(s.at(99) > 0 && s.at(99) < PEAK * 1e-3);
        for (long t = 11; t < 99; t++) assertTrue(s.at(t + 1) < s.at(t), "decreasing at " + t);
        // symmetric about the midpoint: lr(p) + lr(1 − p) = peak
        for (long t = 11; t <= 99; t++) assertEquals(PEAK, s.at(t) + s.at(110 - t), EPS, "step " + t);
        // warm-up is the same linear ramp
        for (long t = 1; t <= 10; t++) assertEquals(PEAK * t / 11, s.at(t), EPS);
    }

    @Test
    void constantHoldsThePeakAfterWarmUp() {
        LrSchedule s = new LrSchedule(PEAK, 4, 50, Shape.CONSTANT);
        for (long t = 1; t <= 4; t++) assertEquals(PEAK * t / 5, s.at(t), EPS);
        for (long t = 5; t <= 50; t++) assertEquals(PEAK, s.at(t));
    }

    @Test
    void warmUpOverEveryStep() {
        LrSchedule s = new LrSchedule(PEAK, 20, 20, Shape.LINEAR);
        for (long t = 1; t <= 20; t++) assertEquals(PEAK * t / 21, s.at(t), EPS);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(0, 0, 10, Shape.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(-1e-4, 0, 10, Shape.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(Double.NaN, 0, 10, Shape.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(PEAK, 0, 0, Shape.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(PEAK, -1, 10, Shape.LINEAR));
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule(PEAK, 11, 10, Shape.LINEAR));
        new LrSchedule(PEAK, 10, 10, Shape.LINEAR);
        new LrSchedule(PEAK, 0, 1, Shape.COSINE);
    }

    @Test
    void stepsOutsideTheScheduleAreRefused() {
        LrSchedule s = new LrSchedule(PEAK, 2, 10, Shape.LINEAR);
        assertThrows(IllegalArgumentException.class, () -> s.at(0));
        assertThrows(IllegalArgumentException.class, () -> s.at(-1));
        assertThrows(IllegalArgumentException.class, () -> s.at(11));
        s.at(1);
        s.at(10);
    }

    @Test
    void shapesParseByTheirSpelling() {
        for (Shape shape : Shape.values()) assertEquals(shape, Shape.parse(shape.spelling()));
        String msg = assertThrows(LacunaException.class, () -> Shape.parse("step")).getMessage();
        assertEquals("unknown schedule 'step' (known: linear, cosine, constant)", msg);
    }
}
