// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

import java.util.Arrays;
import java.util.Comparator;

/** Spearman rank correlation with average ranks for ties (as scipy.stats.spearmanr). */
public final class Spearman {
    private Spearman() {}

    public static double correlation(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        if (a.length < 2) throw new IllegalArgumentException("need at least 2 values");
        return Pearson.correlation(ranks(a), ranks(b));
    }

    /** 1-based ranks, ties get the mean of the ranks they span. */
    public static double[] ranks(double[] x) {
        Integer[] idx = new Integer[x.length];
        for (int i = 0; i < x.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble(i -> x[i]));
        double[] r = new double[x.length];
        int i = 0;
        while (i < x.length) {
            int j = i;
            while (j + 1 < x.length && x[idx[j + 1]] == x[idx[i]]) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) r[idx[t]] = avg;
            i = j + 1;
        }
        return r;
    }
}
