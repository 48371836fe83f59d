// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.recovery;

/** Small helpers on double[] vectors shared by the solvers. */
final class Vectors {
    private Vectors() {}

    static double dot(double[] a, double[] b) {
        return Dictionary.dot(a, 0, b, a.length);
    }

    /** y − A x, [m]. */
    static double[] residual(Dictionary a, double[] y, double[] x) {
        double[] ax = a.times(x);
        for (int i = 0; i < ax.length; i++) ax[i] = y[i] - ax[i];
        return ax;
    }

    static int nonzeros(double[] x) {
        int c = 0;
        for (double v : x) if (v != 0) c++;
        return c;
    }

    /**
     * Indices of the k largest |v|, ties to the lower index, in increasing index order: the k-th largest
     * magnitude from a sorted copy, then every index above it and the lowest-indexed ones equal to it.
     */
    static int[] topK(double[] v, int k) {
        double[] mags = new double[v.length];
        for (int i = 0; i < v.length; i++) mags[i] = Math.abs(v[i]);
        double[] sorted = mags.clone();
        java.util.Arrays.sort(sorted);
        double kth = sorted[v.length - k];
        int above = 0;
        for (double m : mags) if (m > kth) above++;
        int ties = k - above; // how many of the magnitudes equal to kth are kept, lowest indices first
        int[] out = new int[k];
        int c = 0;
        for (int i = 0; i < v.length; i++) {
            if (mags[i] > kth) out[c++] = i;
            else if (mags[i] == kth && ties > 0) { out[c++] = i; ties--; }
        }
        return out;
    }

    /** The plain reference {@link #topK} must match: sort every index by (|v| descending, index ascending). */
    static int[] topKReference(double[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (p, q) -> {
            int c = Double.compare(Math.abs(v[q]), Math.abs(v[p]));
            return c != 0 ? c : Integer.compare(p, q);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = idx[i];
        java.util.Arrays.sort(out);
        return out;
    }
}
