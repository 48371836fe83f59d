// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;

/**
 * Statistics of a projection's input X over the calibration tokens, accumulated in double: the Gram
 * matrix G = Σ_t x_t x_tᵀ (SparseGPT's Hessian is 2G, up to scale), the column sums Σ_t x_t, the
 * token and sequence counts. Wanda's norms are diag(G); DSnoT's mean and variance come from G and
 * the sums.
 *
 * <p>Shapes: K input features, T calibration tokens.
 */
public final class InputStats {
    private static final int TILE = 64;

    private final int k;
    private final boolean withGram;
    private final double[] gram; // G [K, K], upper triangle while accumulating, full after finish(); or null
    private final double[] sq;   // diag(G) [K]
    private final double[] sum;  // Σ_t x_t [K]
    private long tokens;
    private long sequences;
    private boolean finished;

    /** @param withGram whether to keep the full K x K Gram matrix (else only its diagonal) */
    public InputStats(int k, boolean withGram) {
        this.k = k;
        this.withGram = withGram;
        this.gram = withGram ? new double[k * k] : null;
        this.sq = new double[k];
        this.sum = new double[k];
    }

    /**
     * Adds a batch of activations.
     *
     * @param act [tokens, K] row-major
     */
    public void add(Parallel par, float[] act, int rows, int sequences) {
        if (finished) throw new IllegalStateException("statistics are finished");
        if (act.length < (long) rows * k) throw new IllegalArgumentException("activations have " + act.length + " values, [" + rows + ", " + k + "] needs " + (long) rows * k);
        this.tokens += rows;
        this.sequences += sequences;
        for (int t = 0; t < rows; t++) {
            int o = t * k;
            for (int j = 0; j < k; j++) {
                double x = act[o + j];
                sum[j] += x;
                sq[j] += x * x;
            }
        }
        if (withGram) addGram(par, act, rows);
    }

    /** G[i, j] += Σ_t x[t, i] x[t, j] for j >= i, tile pair by tile pair (each pair is one unit of work). */
    private void addGram(Parallel par, float[] act, int rows) {
        int nt = (k + TILE - 1) / TILE;
        int pairs = nt * (nt + 1) / 2;
        int[] pi = new int[pairs], pj = new int[pairs];
        for (int a = 0, p = 0; a < nt; a++) {
            for (int b = a; b < nt; b++, p++) {
                pi[p] = a;
                pj[p] = b;
            }
        }
        par.forRange(pairs, (s, e) -> {
            double[] acc = new double[TILE * TILE];
            double[] xj = new double[TILE];
            for (int p = s; p < e; p++) {
                int i0 = pi[p] * TILE, i1 = Math.min(k, i0 + TILE);
                int j0 = pj[p] * TILE, j1 = Math.min(k, j0 + TILE);
                int w = j1 - j0;
                java.util.Arrays.fill(acc, 0);
                for (int t = 0; t < rows; t++) {
                    int o = t * k;
                    for (int j = 0; j < w; j++) xj[j] = act[o + j0 + j];
                    for (int i = i0; i < i1; i++) {
                        double xi = act[o + i];
                        if (xi == 0) continue;
                        int a = (i - i0) * TILE;
                        for (int j = 0; j < w; j++) acc[a + j] += xi * xj[j];
                    }
                }
                for (int i = i0; i < i1; i++) {
                    int a = (i - i0) * TILE;
                    for (int j = j0; j < j1; j++) if (j >= i) gram[i * k + j] += acc[a + j - j0];
                }
            }
        });
    }

    /** Ends accumulation: mirrors the Gram matrix. Idempotent. */
    public InputStats finish() {
        if (finished) return this;
        finished = true;
        if (withGram) {
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) gram[j * k + i] = gram[i * k + j];
            }
        }
        return this;
    }

    public int features() {
        return k;
    }

    public long tokens() {
        return tokens;
    }

    public long sequences() {
        return sequences;
    }

    public boolean hasGram() {
        return withGram;
    }

    /** G [K, K] = Σ_t x_t x_tᵀ, full and symmetric (the array itself: do not modify). */
    public double[] gram() {
        if (!withGram) throw new IllegalStateException("Gram matrix was not collected");
        finish();
        return gram;
    }

    /** ||X_j||² = Σ_t x[t, j]², [K] (the array itself: do not modify). */
    public double[] squaredNorms() {
        return sq;
    }

    /** Σ_t x[t, j], [K] (the array itself: do not modify). */
    public double[] sums() {
        return sum;
    }

    /** Mean of input j over the calibration tokens. */
    public double mean(int j) {
        return tokens == 0 ? 0 : sum[j] / tokens;
    }

    /** Population variance of input j over the calibration tokens. */
    public double variance(int j) {
        if (tokens == 0) return 0;
        double m = sum[j] / tokens;
        return Math.max(0, sq[j] / tokens - m * m);
    }

    /**
     * Relative reconstruction error of replacing W by W' on these inputs:
     * ||(W - W') X||² / ||W X||² = tr(ΔW G ΔWᵀ) / tr(W G Wᵀ).
     *
     * @param w     W [N, K]
     * @param wNew  W' [N, K]
     */
    public double relativeError(Parallel par, float[] w, float[] wNew, int n) {
        double[] g = gram();
        final int rb = 4; // rows per pass over G, so that each row of G is read once per 4 rows of W
        int groups = (n + rb - 1) / rb;
        double[] num = new double[n], den = new double[n];
        par.forRange(groups, (s, e) -> {
            double[][] d = new double[rb][k], v = new double[rb][k], gd = new double[rb][k], gv = new double[rb][k];
            for (int grp = s; grp < e; grp++) {
                int r0 = grp * rb, rn = Math.min(rb, n - r0);
                for (int q = 0; q < rn; q++) {
                    int o = (r0 + q) * k;
                    for (int j = 0; j < k; j++) {
                        v[q][j] = w[o + j];
                        d[q][j] = v[q][j] - wNew[o + j];
                    }
                    java.util.Arrays.fill(gd[q], 0);
                    java.util.Arrays.fill(gv[q], 0);
                }
                // gd = G d, gv = G v, as axpy over G's rows (G is symmetric)
                for (int i = 0; i < k; i++) {
                    int o = i * k;
                    for (int q = 0; q < rn; q++) {
                        double di = d[q][i], vi = v[q][i];
                        double[] a = gd[q], b = gv[q];
                        if (di != 0) for (int j = 0; j < k; j++) a[j] += di * g[o + j];
                        if (vi != 0) for (int j = 0; j < k; j++) b[j] += vi * g[o + j];
                    }
                }
                for (int q = 0; q < rn; q++) {
                    double a = 0, b = 0;
                    for (int j = 0; j < k; j++) {
                        a += d[q][j] * gd[q][j];
                        b += v[q][j] * gv[q][j];
                    }
                    num[r0 + q] = a;
                    den[r0 + q] = b;
                }
            }
        });
        double a = 0, b = 0;
        for (int r = 0; r < n; r++) {
            a += num[r];
            b += den[r];
        }
        return b == 0 ? (a == 0 ? 0 : Double.POSITIVE_INFINITY) : a / b;
    }
}
