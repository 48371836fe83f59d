package dev.lacuna.attention;

import java.util.Random;

/**
 * q, k, v with planted attention structure, per head a different mix of: attention sinks (a few keys
 * every query scores highly), a local diagonal (sinusoidal position features, so q_i·k_j peaks at
 * i = j and decays with |i - j|), vertical stripes (keys of moderately high score for everyone),
 * content matches (a query and a key far apart sharing a random direction) and noise.
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
        int freqs = Math.min(6, (headDim - 2) / 2 - 1);
        for (int h = 0; h < heads; h++) {
            int col = h * headDim;
            // per-head mix
            // logits (after the 1/sqrt(D) scale): sinks 12-16, local peak 6-10, noise std below 1
            double sinkW = 12 + 4 * rnd.nextDouble();
            double localW = 6 + 4 * rnd.nextDouble();
            double noiseW = 0.5 + 0.4 * rnd.nextDouble();
            int sinks = 1 + rnd.nextInt(3);
            int stripes = 4 + rnd.nextInt(12);
            float[] boost = new float[n];
            for (int s = 0; s < sinks; s++) {
                int j = s == 0 ? 0 : rnd.nextInt(n);
                boost[j] = (float) sinkW;
            }
            for (int s = 0; s < stripes; s++) boost[rnd.nextInt(n)] = (float) (0.6 * sinkW);
            double[] omega = new double[freqs];
            for (int f = 0; f < freqs; f++) omega[f] = 2 * Math.PI / (6 * Math.pow(4, f)); // wavelengths 6 .. 6 * 4^5
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
