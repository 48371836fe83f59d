// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import java.util.Random;

/**
 * q, k, v with planted attention structure, per head a different mix of: attention sinks (1-3 keys
 * every query scores highly), vertical stripes (4-16 keys of high score for everyone), a local
 * diagonal (sinusoidal position features, so q_i·k_j peaks at i = j and decays with |i - j|),
 * content matches (a query and a far key sharing a random direction) and noise.
 *
 * <p>Sink and stripe logits carry + ln N, so that they hold the same share of the softmax mass at
 * every length (about 90% sinks, 8-10% stripes, 1-2% local structure and noise); without it the
 * noise floor, whose mass grows like N, would swamp any fixed structure in long sequences. Long-context
 * models show the same: attention concentrates on few keys (Xiao et al., StreamingLLM, 2023).
 *
 * <p>Layout: [N, C] with C = H x D; needs D >= 8.
 */
public final class SyntheticQkv {
    private SyntheticQkv() {}

    /** {q, k, v}, each [n, heads * headDim]. */
    public static float[][] generate(int n, int heads, int headDim, long seed) {
        if (headDim < 8) throw new IllegalArgumentException("synthetic q/k/v need a head dim of at least 8, got " + headDim);
        int c = heads * headDim;
        float[] q = new float[n * c], k = new float[n * c], v = new float[n * c];
        Random rnd = new Random(seed);
        int freqs = Math.max(1, Math.min(12, (headDim - 8) / 2));
        double logN = Math.log(Math.max(2, n));
        for (int h = 0; h < heads; h++) {
            int col = h * headDim;
            // per-head mix, as logits after the 1/sqrt(D) scale
            double sinkW = logN + 4 + 1.5 * rnd.nextDouble();
            double localW = 3 + 2 * rnd.nextDouble();   // peak of the local diagonal
            double noiseW = 0.8 + 0.4 * rnd.nextDouble();
            int sinks = 1 + rnd.nextInt(3);
            int stripes = 4 + rnd.nextInt(12);
            float[] boost = new float[n];
            for (int s = 0; s < stripes; s++) boost[rnd.nextInt(n)] = (float) (logN + 2 * rnd.nextDouble());
            for (int s = 0; s < sinks; s++) boost[s == 0 ? 0 : rnd.nextInt(n)] = (float) sinkW;
            double[] omega = new double[freqs];
            for (int f = 0; f < freqs; f++) omega[f] = 2 * Math.PI / (6 * Math.pow(2, f)); // wavelengths 6 .. 6 * 2^11
            int content = headDim - 1 - 2 * freqs;
            float posScale = (float) Math.sqrt(localW * Math.sqrt(headDim) / freqs);
            for (int i = 0; i < n; i++) {
                int o = i * c + col;
                // dim 0: the sink direction
                q[o] = (float) (Math.sqrt(Math.sqrt(headDim)) * (0.8 + 0.4 * rnd.nextDouble()));
                k[o] = (float) (boost[i] * Math.sqrt(Math.sqrt(headDim)));
                // dims 1..2F: positions
                for (int f = 0; f < freqs; f++) {
                    double a = omega[f] * i;
                    q[o + 1 + 2 * f] = (float) (posScale * Math.cos(a));
                    q[o + 2 + 2 * f] = (float) (posScale * Math.sin(a));
                    k[o + 1 + 2 * f] = (float) (posScale * Math.cos(a));
                    k[o + 2 + 2 * f] = (float) (posScale * Math.sin(a));
                }
                // the rest: content, noise
                for (int d = 1 + 2 * freqs; d < headDim; d++) {
                    q[o + d] = (float) (noiseW * rnd.nextGaussian());
                    k[o + d] = (float) (noiseW * rnd.nextGaussian());
                }
                for (int d = 0; d < headDim; d++) v[o + d] = (float) rnd.nextGaussian();
            }
            // content matches: pairs of far-apart tokens sharing a direction
            int pairs = n / 64;
            for (int x = 0; x < pairs && content > 0; x++) {
                int i = rnd.nextInt(n), j = rnd.nextInt(n);
                int d = 1 + 2 * freqs + rnd.nextInt(content);
                float a = (float) (3 * Math.sqrt(Math.sqrt(headDim)));
                q[i * c + col + d] += a;
                k[j * c + col + d] += a;
            }
        }
        return new float[][] {q, k, v};
    }
}
