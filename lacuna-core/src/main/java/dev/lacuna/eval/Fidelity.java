// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

/**
 * How closely a changed model (pruned, sparse attention, spliced SAE) reproduces the original's
 * embeddings on the same texts.
 *
 * <p>Raw cosine understates quality after pruning: pruning shifts every embedding along a shared
 * direction, which lowers each cosine to the original but leaves the geometry (who is similar to
 * whom) intact. So the Pearson correlation between the two models' pairwise cosine-similarity
 * matrices (upper triangles) is reported too.
 *
 * @param meanCosine   mean over texts of cos(original_i, changed_i)
 * @param minCosine    the worst text
 * @param similarityR  Pearson r between {cos(o_i, o_j)} and {cos(c_i, c_j)}, i < j
 */
public record Fidelity(double meanCosine, double minCosine, double similarityR) {

    /** @param original [n][C] and changed [n][C], the same texts in the same order */
    public static Fidelity of(float[][] original, float[][] changed) {
        int n = original.length;
        if (changed.length != n) throw new IllegalArgumentException(n + " original vs " + changed.length + " changed embeddings");
        double sum = 0, min = 1;
        for (int i = 0; i < n; i++) {
            double c = Vectors.cosine(original[i], changed[i]);
            sum += c;
            min = Math.min(min, c);
        }
        int pairs = n * (n - 1) / 2;
        double[] a = new double[pairs], b = new double[pairs];
        float[][] on = normalized(original), cn = normalized(changed);
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                a[p] = dot(on[i], on[j]);
                b[p] = dot(cn[i], cn[j]);
                p++;
            }
        }
        double r = pairs >= 2 ? Pearson.correlation(a, b) : Double.NaN;
        return new Fidelity(sum / Math.max(1, n), min, r);
    }

    private static float[][] normalized(float[][] v) {
        float[][] out = new float[v.length][];
        for (int i = 0; i < v.length; i++) {
            double ss = 0;
            for (float x : v[i]) ss += (double) x * x;
            double inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
            out[i] = new float[v[i].length];
            for (int j = 0; j < v[i].length; j++) out[i][j] = (float) (v[i][j] * inv);
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
