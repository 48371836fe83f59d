// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.lacuna.train.GradientCheck.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GradientClipTest {
    /** Arrays of different sizes and scales, one empty. */
    private static List<float[]> grads(long seed) {
        Random rnd = new Random(seed);
        List<float[]> g = new ArrayList<>();
        g.add(randn(rnd, 37, 1));
        g.add(new float[0]);
        g.add(randn(rnd, 1000, 0.01));
        g.add(randn(rnd, 5, 30));
        return g;
    }

    private static double reference(List<float[]> grads) {
        double ss = 0;
        for (float[] g : grads) for (float x : g) ss += (double) x * x;
        return Math.sqrt(ss);
    }

    private static List<float[]> copy(List<float[]> g) {
        return g.stream().map(float[]::clone).toList();
    }

    @Test
    void normIsTheGlobalL2NormOverEveryArray() {
        for (long seed = 0; seed < 5; seed++) {
            List<float[]> g = grads(seed);
            assertEquals(reference(g), GradientClip.norm(g), 1e-12 * reference(g));
        }
        assertEquals(5.0, GradientClip.norm(List.of(new float[] {3}, new float[] {0, 4})));
        assertEquals(0.0, GradientClip.norm(List.of()));
    }

    @Test
    void aboveMaxEveryArrayIsScaledToTheMax() {
        List<float[]> g = grads(1);
        List<float[]> before = copy(g);
        double n = reference(g), max = n / 7;
        assertEquals(n, GradientClip.clip(g, max), 1e-12 * n, "returns the norm before clipping");
        assertEquals(max, GradientClip.norm(g), 1e-6 * max, "the clipped norm is the max (float rounding)");
        float f = (float) (max / (n + 1e-6));
        for (int a = 0; a < g.size(); a++) {
            for (int i = 0; i < g.get(a).length; i++) assertEquals(before.get(a)[i] * f, g.get(a)[i], "array " + a + " entry " + i);
        }
    }

    @Test
    void atOrBelowMaxNothingChanges() {
        List<float[]> g = grads(2);
        List<float[]> before = copy(g);
        double n = reference(g);
        assertEquals(n, GradientClip.clip(g, n * 1.5), 1e-12 * n);
        for (int a = 0; a < g.size(); a++) assertArrayEquals(before.get(a), g.get(a));
        GradientClip.clip(g, GradientClip.norm(g));
        for (int a = 0; a < g.size(); a++) assertArrayEquals(before.get(a), g.get(a));
        // a small norm, where scaling by max/(n + 1e-6) at n == max would change the bits
        List<float[]> small = List.of(new float[] {3e-4f, -4e-4f});
        GradientClip.clip(small, GradientClip.norm(small));
        assertArrayEquals(new float[] {3e-4f, -4e-4f}, small.get(0));
    }

    @Test
    void maxZeroOrBelowNeverClips() {
        List<float[]> g = grads(3);
        List<float[]> before = copy(g);
        for (double max : new double[] {0, -1, -1e-9}) {
            GradientClip.clip(g, max);
            for (int a = 0; a < g.size(); a++) assertArrayEquals(before.get(a), g.get(a), "max " + max);
        }
    }
}
