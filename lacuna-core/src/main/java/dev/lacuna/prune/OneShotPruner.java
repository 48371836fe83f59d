// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.kernel.DenseLinear;
import dev.lacuna.kernel.Linear;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparse.MaskSelection;
import dev.lacuna.tensor.FloatTensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One-shot post-training pruning of a {@link BertModel} by a {@link Recipe}.
 *
 * <p>Each modifier runs over the transformer layers in order, as SparseGPT's sequential driver does:
 * layer i is calibrated on the outputs of layers 0..i-1 as already pruned. For each layer with targets,
 * the current model runs on the calibration batches with hooks on that layer's projection inputs (the
 * pass stops right after them), the statistics (Gram matrix, sums) are accumulated in double, the
 * layer's targeted projections are pruned, and the model with them replaced carries on. Without
 * calibration data only magnitude and random pruning run, and no error is reported.
 *
 * <p>The input model is never modified; the result holds a new model, a report per projection and the
 * masks (the pruned projections are {@link DenseLinear}; choosing sparse kernels is the caller's job).
 */
public final class OneShotPruner {
    private OneShotPruner() {}

    /**
     * Prunes {@code model} by {@code recipe}.
     *
     * @param calibration token ids of the calibration sequences, special tokens included (may be empty
     *                    for magnitude and random pruning)
     * @param progress    advanced by one per calibration batch forward and per projection pruned (see
     *                    {@link #progressTotal}); may be null
     */
    public static PruneResult prune(BertModel model, Recipe recipe, List<int[]> calibration, Parallel par, Progress progress) {
        CalibrationSet cal = CalibrationSet.of(calibration);
        BertModel cur = model;
        Map<String, Mask> masks = new LinkedHashMap<>();
        List<LayerReport> reports = new ArrayList<>();
        for (int mi = 0; mi < recipe.modifiers().size(); mi++) {
            PruneModifier mod = recipe.modifiers().get(mi);
            String where = "recipe: modifier " + (mi + 1) + ": ";
            try {
                cur = apply(cur, mod, mi + 1, cal, par, progress, masks, reports);
            } catch (LacunaException e) {
                throw e.getMessage().startsWith("recipe:") ? e : new LacunaException(where + e.getMessage(), e);
            }
        }
        Map<String, Mask> ordered = new LinkedHashMap<>();
        for (String n : cur.linears().keySet()) if (masks.containsKey(n)) ordered.put(n, masks.get(n));
        return new PruneResult(cur, reports, ordered, recipe, cal.sequences(), cal.tokens());
    }

    /** The number of progress steps {@link #prune} takes for this model, recipe and calibration set. */
    public static long progressTotal(BertModel model, Recipe recipe, List<int[]> calibration) {
        int batches = CalibrationSet.of(calibration).batches().size();
        long total = 0;
        for (int mi = 0; mi < recipe.modifiers().size(); mi++) {
            PruneModifier mod = recipe.modifiers().get(mi);
            List<String> targets;
            try {
                targets = mod.resolve(model.linears().keySet());
            } catch (LacunaException e) {
                throw new LacunaException("recipe: modifier " + (mi + 1) + ": " + e.getMessage(), e);
            }
            Set<Integer> layers = new LinkedHashSet<>();
            for (String t : targets) layers.add(LayerCapture.layerOf(t));
            total += targets.size();
            if (batches > 0) total += (long) layers.size() * batches + (mod.owl() ? batches : 0);
        }
        return total;
    }

    private static BertModel apply(BertModel model, PruneModifier mod, int index, CalibrationSet cal, Parallel par, Progress progress,
                                   Map<String, Mask> masks, List<LayerReport> reports) {
        Map<String, Linear> linears = model.linears();
        List<String> targets = mod.resolve(linears.keySet());
        if (mod.needsCalibration() && cal.isEmpty()) {
            throw new LacunaException(mod.label() + " needs calibration data (method " + mod.method().spelling()
                    + (mod.owl() ? ", owl" : "") + (mod.dsnot() ? ", dsnot" : "") + ")");
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String t : targets) {
            Linear l = linears.get(t);
            shapes.put(t, new int[] {l.outFeatures(), l.inFeatures()});
            mod.pattern().check(t, l.outFeatures(), l.inFeatures());
        }
        TreeMap<Integer, List<String>> byLayer = new TreeMap<>();
        for (String t : targets) byLayer.computeIfAbsent(LayerCapture.layerOf(t), x -> new ArrayList<>()).add(t);

        Map<String, Double> sparsity = layerSparsity(model, mod, targets, shapes, byLayer, cal, par, progress);
        Map<String, Mask> global = mod.scope() == PruneModifier.Scope.GLOBAL ? globalMagnitude(linears, targets, mod.sparsity()) : null;

        LayerPruner pruner = switch (mod.method()) {
            case MAGNITUDE -> new MagnitudePruner();
            case RANDOM -> new RandomPruner();
            case WANDA -> new WandaPruner();
            case SPARSEGPT -> new SparseGptPruner(mod.dampening(), mod.blockSize());
        };
        DsnotRefiner dsnot = mod.dsnot() ? new DsnotRefiner(mod.dsnotIterations(), mod.dsnotThreshold()) : null;

        BertModel cur = model;
        for (Map.Entry<Integer, List<String>> layer : byLayer.entrySet()) {
            Map<String, InputStats> stats = Map.of();
            if (!cal.isEmpty()) {
                Set<String> points = new LinkedHashSet<>();
                for (String t : layer.getValue()) points.add(LayerCapture.inputPoint(t));
                stats = LayerCapture.capture(par, cur, layer.getKey(), points, true, cal, progress);
            }
            Map<String, Linear> current = cur.linears();
            Map<String, Linear> replace = new LinkedHashMap<>();
            for (String name : layer.getValue()) {
                Linear lin = current.get(name);
                int n = lin.outFeatures(), k = lin.inFeatures();
                float[] w = lin.weight().data(); // read only
                InputStats st = stats.get(LayerCapture.inputPoint(name));
                double s = sparsity.get(name);
                LayerTask task = new LayerTask(name, w, n, k, st, s, mod.pattern(), layerSeed(mod.seed(), name));
                PrunedLayer pl = global != null ? new PrunedLayer(global.get(name), global.get(name).apply(w)) : pruner.prune(par, task);
                if (dsnot != null) {
                    Mask refined = dsnot.refine(par, w, n, k, pl.mask(), st, mod.pattern());
                    pl = pruner instanceof SparseGptPruner sg ? sg.reconstruct(par, task, refined) : new PrunedLayer(refined, refined.apply(w));
                }
                Mask prev = masks.get(name);
                Mask mask = prev == null ? pl.mask() : prev.and(pl.mask());
                float[] wNew = prev == null ? pl.weight() : mask.apply(pl.weight());
                double err = st == null ? Double.NaN : st.relativeError(par, w, wNew, n);
                masks.put(name, mask);
                replace.put(name, new DenseLinear(new FloatTensor(new int[] {n, k}, wNew), lin.bias()));
                reports.add(new LayerReport(index, name, n, k, mod.label(), mod.pattern().spelling(), s, mask.sparsity(), err));
                if (progress != null) progress.advance(1);
            }
            cur = cur.withLinears(replace);
        }
        return cur;
    }

    /** Sparsity of each target: uniform, ERK, or OWL (from Wanda scores of the model as it enters this step). */
    private static Map<String, Double> layerSparsity(BertModel model, PruneModifier mod, List<String> targets, Map<String, int[]> shapes,
                                                     TreeMap<Integer, List<String>> byLayer, CalibrationSet cal, Parallel par, Progress progress) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (mod.layerwiseRatio() == PruneModifier.LayerwiseRatio.ERK) return LayerwiseSparsity.erk(shapes, mod.sparsity());
        if (!mod.owl()) {
            for (String t : targets) out.put(t, mod.sparsity());
            return out;
        }
        Map<String, InputStats> norms = LayerCapture.captureNorms(par, model, byLayer.keySet(), cal, progress);
        Map<String, Linear> linears = model.linears();
        Map<Integer, Double> ratios = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> e : byLayer.entrySet()) {
            List<double[]> scores = new ArrayList<>();
            for (String t : e.getValue()) {
                Linear l = linears.get(t);
                InputStats st = norms.get(e.getKey() + "." + LayerCapture.inputPoint(t));
                scores.add(WandaPruner.scores(l.weight().data(), l.outFeatures(), l.inFeatures(), st));
            }
            ratios.put(e.getKey(), LayerwiseSparsity.outlierRatio(scores, mod.owlM()));
        }
        Map<Integer, Double> perLayer = LayerwiseSparsity.owl(ratios, mod.sparsity(), mod.owlLambda());
        for (String t : targets) out.put(t, perLayer.get(LayerCapture.layerOf(t)));
        return out;
    }

    /** Magnitude with one threshold across all targets: exactly round(s · Σ sizes) weights, the smallest |W|. */
    static Map<String, Mask> globalMagnitude(Map<String, Linear> linears, List<String> targets, double s) {
        long total = 0;
        for (String t : targets) total += linears.get(t).weight().data().length;
        float[] all = new float[Math.toIntExact(total)];
        int p = 0;
        for (String t : targets) {
            for (float v : linears.get(t).weight().data()) all[p++] = Math.abs(v);
        }
        long z = MaskSelection.zeros(s, total);
        Map<String, Mask> out = new LinkedHashMap<>();
        if (z == 0) {
            for (String t : targets) {
                Linear l = linears.get(t);
                out.put(t, Mask.dense(l.outFeatures(), l.inFeatures()));
            }
            return out;
        }
        float[] sorted = all.clone();
        java.util.Arrays.sort(sorted);
        float thr = sorted[(int) z - 1];
        long below = 0;
        for (float v : all) if (v < thr) below++;
        long ties = z - below; // weights equal to the threshold to prune, earliest first
        for (String t : targets) {
            Linear l = linears.get(t);
            float[] w = l.weight().data();
            Mask.Builder b = new Mask.Builder(l.outFeatures(), l.inFeatures());
            for (int i = 0; i < w.length; i++) {
                float a = Math.abs(w[i]);
                if (a > thr) b.keep(i);
                else if (a == thr) {
                    if (ties > 0) ties--;
                    else b.keep(i);
                }
            }
            out.put(t, b.build());
        }
        return out;
    }

    /** A seed specific to one projection, so that a layer's random mask does not depend on the others. */
    static long layerSeed(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L + name.hashCode();
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        return h ^ (h >>> 33);
    }
}
