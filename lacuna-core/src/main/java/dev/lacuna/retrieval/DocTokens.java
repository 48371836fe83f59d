// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One document's token features for {@link TermWeightHead}: per non-special token its vocabulary id,
 * cos(h_i, e) and h_i/|h_i|, plus the document's length in tokens (special tokens included, as the
 * length normalisation of {@link ContextualTermWeights} counts it). Saved once from the frozen encoder,
 * so training never reruns the model. {@link #weights} is the head's forward pass, {@link #backward} its
 * gradient with respect to θ (checked against finite differences in {@code TermWeightTrainerTest}).
 *
 * <p>Shapes: n non-special tokens, C hidden width; {@code unit} is [n, C].
 */
record DocTokens(int[] ids, float[] cos, float[] unit, int width, int length) {
    /** The features of rows [start, start + len) of a batch's last hidden state [T_batch, C]. */
    static DocTokens of(int[] ids, float[] hidden, int start, int len, int c, float[] pooled, IntPredicate special) {
        int n = 0;
        for (int t = start; t < start + len; t++) if (!special.test(ids[t])) n++;
        int[] out = new int[n];
        float[] cos = new float[n];
        float[] unit = new float[n * c];
        int k = 0;
        for (int t = start; t < start + len; t++) {
            if (special.test(ids[t])) continue;
            int o = t * c;
            double dot = 0, norm = 0;
            for (int j = 0; j < c; j++) {
                float h = hidden[o + j];
                dot += h * pooled[j];
                norm += h * h;
            }
            double r = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            out[k] = ids[t];
            cos[k] = (float) (dot * r);
            for (int j = 0; j < c; j++) unit[k * c + j] = (float) (hidden[o + j] * r);
            k++;
        }
        return new DocTokens(out, cos, unit, c, len);
    }

    /**
     * The head's output for this document: distinct terms (ascending id), their weights, and what the
     * backward pass needs.
     *
     * @param terms [m] distinct vocabulary ids, ascending
     * @param w     [m] w(t)
     * @param tf    [m] tf(t) = Σ s_i
     * @param slot  [n] index in {@code terms} of each token
     * @param z     [n] z_i
     * @param norm  k1 (1 − b + b len / avglen)
     */
    record Weights(int[] terms, double[] w, double[] tf, int[] slot, double[] z, double norm) {
        /** The weight of vocabulary id {@code t}, 0 when the document lacks it. */
        double of(int t) {
            int k = Arrays.binarySearch(terms, t);
            return k >= 0 ? w[k] : 0;
        }
    }

    /**
     * The head's output under English analysis: stop words dropped, the rest shared over stem variants,
     * w'(t') = w(t') + γ Σ_{t in G(t'), t ≠ t'} w(t), γ = sigmoid(θ_ρ), over the document's terms and
     * their variants ({@link StemVariants}).
     *
     * @param own   the document's own {@link Weights}
     * @param terms [m'] own terms and variants, ascending
     * @param w     [m'] w'
     * @param self  [m'] slot of each in {@code own.terms()}, -1 for a variant the document lacks
     * @param from  [m'] slots in {@code own.terms()} of the other group members the document has
     */
    record Shared(Weights own, int[] terms, double[] w, int[] self, int[][] from, double gamma) {
        double of(int t) {
            int k = Arrays.binarySearch(terms, t);
            return k >= 0 ? w[k] : 0;
        }
    }

    static Shared share(Weights own, StemVariants sv, double[] theta) {
        double gamma = TermWeightHead.sigmoid(theta[TermWeightHead.RHO]);
        java.util.TreeMap<Integer, java.util.List<Integer>> from = new java.util.TreeMap<>();
        int[] t = own.terms();
        for (int k = 0; k < t.length; k++) {
            if (sv.stop(t[k])) continue;   // no weight for a stop word, as BM25 gives it none
            from.computeIfAbsent(t[k], x -> new java.util.ArrayList<>());
            for (int o : sv.others(t[k])) from.computeIfAbsent(o, x -> new java.util.ArrayList<>()).add(k);
        }
        int m = from.size();
        int[] terms = new int[m], self = new int[m];
        int[][] fr = new int[m][];
        double[] w = new double[m];
        int i = 0;
        for (var e : from.entrySet()) {
            terms[i] = e.getKey();
            self[i] = Arrays.binarySearch(t, e.getKey());
            if (self[i] < 0) self[i] = -1;
            fr[i] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            double sum = 0;
            for (int k : fr[i]) sum += own.w()[k];
            w[i] = (self[i] >= 0 ? own.w()[self[i]] : 0) + gamma * sum;
            i++;
        }
        return new Shared(own, terms, w, self, fr, gamma);
    }

    /** dL/dw' [m'] to dL/dw [m] (returned) and dL/dρ (added to {@code grad}). */
    static double[] unshare(Shared s, double[] dws, double[] grad) {
        double[] dw = new double[s.own().terms().length];
        double dgamma = 0;
        for (int i = 0; i < s.terms().length; i++) {
            if (s.self()[i] >= 0) dw[s.self()[i]] += dws[i];
            double sum = 0;
            for (int k : s.from()[i]) {
                dw[k] += s.gamma() * dws[i];
                sum += s.own().w()[k];
            }
            dgamma += dws[i] * sum;
        }
        grad[TermWeightHead.RHO] += dgamma * s.gamma() * (1 - s.gamma());
        return dw;
    }

    Weights weights(double[] theta, float[] idf, double k1, double b, double avgLen) {
        int n = ids.length;
        int[] terms = ids.clone();
        Arrays.sort(terms);
        int m = 0;
        for (int i = 0; i < n; i++) if (i == 0 || terms[i] != terms[i - 1]) terms[m++] = terms[i];
        terms = Arrays.copyOf(terms, m);
        int[] slot = new int[n];
        double[] z = new double[n];
        double[] tf = new double[m];
        for (int i = 0; i < n; i++) {
            slot[i] = Arrays.binarySearch(terms, ids[i]);
            z[i] = TermWeightHead.z(theta, cos[i], idf[ids[i]], unit, i * width);
            tf[slot[i]] += TermWeightHead.softplus(z[i]) / TermWeightHead.SCALE;
        }
        double norm = k1 * (1 - b + b * length / avgLen);
        double[] w = new double[m];
        for (int k = 0; k < m; k++) w[k] = tf[k] * (k1 + 1) / (tf[k] + norm);
        return new Weights(terms, w, tf, slot, z, norm);
    }

    /**
     * Adds dL/dθ to {@code grad} [P] given dL/dw(t) for each of the document's terms.
     *
     * @param dw [m] dL/dw, aligned with {@code fw.terms()}
     */
    void backward(Weights fw, double[] dw, float[] idf, double k1, double[] grad) {
        int m = fw.terms().length;
        double[] dtf = new double[m];
        for (int k = 0; k < m; k++) {
            double d = fw.tf()[k] + fw.norm();
            dtf[k] = dw[k] * (k1 + 1) * fw.norm() / (d * d);
        }
        for (int i = 0; i < ids.length; i++) {
            double g = dtf[fw.slot()[i]];
            if (g == 0) continue;
            double dz = g * TermWeightHead.sigmoid(fw.z()[i]) / TermWeightHead.SCALE;
            grad[TermWeightHead.A] += dz * cos[i];
            grad[TermWeightHead.C] += dz * idf[ids[i]] / 10;
            grad[TermWeightHead.BIAS] += dz;
            int o = i * width;
            for (int j = 0; j < width; j++) grad[TermWeightHead.U + j] += dz * unit[o + j];
        }
    }
}
