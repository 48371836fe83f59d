package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;

/** Magnitude pruning: score = |W|, compared across the whole layer. Needs no calibration. */
public final class MagnitudePruner implements LayerPruner {
    @Override
    public PrunedLayer prune(Parallel par, LayerTask t) {
        float[] w = t.weight();
        double[] s = new double[w.length];
        for (int i = 0; i < w.length; i++) s[i] = Math.abs(w[i]);
        Mask m = MaskSelection.select(s, t.rows(), t.cols(), t.pattern(), t.sparsity(), MaskSelection.Group.LAYER);
        return new PrunedLayer(m, m.apply(w));
    }
}
