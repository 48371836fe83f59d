// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.bert.BertModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the inputs of a transformer layer's projections through the model's own forward pass and
 * hook points. Which hook point feeds which projection:
 * {@code resid_pre} → query, key, value; {@code attn_z} → attention.output.dense;
 * {@code resid_mid} → intermediate.dense; {@code mlp_act} → output.dense.
 */
final class LayerCapture {
    /** The four input points, in forward order. */
    static final List<String> POINTS = List.of("resid_pre", "attn_z", "resid_mid", "mlp_act");

    /** Thrown by the last hook to stop a forward pass once the layer's inputs are seen; carries no stack. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    private LayerCapture() {}

    /** The hook point (without the {@code layer.i.} prefix) whose activation is the input of {@code linear}. */
    static String inputPoint(String linear) {
        if (linear.endsWith(".attention.self.query") || linear.endsWith(".attention.self.key") || linear.endsWith(".attention.self.value")) return "resid_pre";
        if (linear.endsWith(".attention.output.dense")) return "attn_z";
        if (linear.endsWith(".intermediate.dense")) return "resid_mid";
        if (linear.endsWith(".output.dense")) return "mlp_act";
        throw new IllegalArgumentException("no input hook point known for " + linear);
    }

    /** The transformer layer of {@code encoder.layer.i....}. */
    static int layerOf(String linear) {
        String p = "encoder.layer.";
        if (!linear.startsWith(p)) throw new IllegalArgumentException("not an encoder projection: " + linear);
        int dot = linear.indexOf('.', p.length());
        return Integer.parseInt(linear.substring(p.length(), dot));
    }

    /**
     * Runs {@code model} on every calibration batch and accumulates statistics of the activations at
     * {@code points} of transformer layer {@code layer}; each pass stops after the last of them, so the
     * layers after it are not computed.
     *
     * @return point → statistics (finished)
     */
    static Map<String, InputStats> capture(Parallel par, BertModel model, int layer, Set<String> points, boolean withGram,
                                           CalibrationSet cal, Progress progress) {
        Map<String, InputStats> stats = new LinkedHashMap<>();
        String last = null;
        for (String p : POINTS) if (points.contains(p)) last = p;
        if (last == null) return stats;
        int c = model.config().hiddenSize(), inter = model.config().intermediateSize();
        Hooks hooks = new Hooks();
        for (String p : POINTS) {
            if (!points.contains(p)) continue;
            InputStats s = new InputStats(p.equals("mlp_act") ? inter : c, withGram);
            stats.put(p, s);
            boolean stop = p.equals(last);
            hooks.add("layer." + layer + "." + p, (pt, act, tokens, width, starts) -> {
                s.add(par, act, tokens, starts.length - 1);
                if (stop) throw STOP;
            });
        }
        run(par, model, hooks, cal, progress);
        for (InputStats s : stats.values()) s.finish();
        return stats;
    }

    /**
     * Squared norms (no Gram matrices) at the input points of every layer of {@code layers}, in one full
     * pass of the model per batch.
     *
     * @return "i.point" → statistics
     */
    static Map<String, InputStats> captureNorms(Parallel par, BertModel model, Set<Integer> layers, CalibrationSet cal, Progress progress) {
        Map<String, InputStats> stats = new LinkedHashMap<>();
        int c = model.config().hiddenSize(), inter = model.config().intermediateSize();
        int lastLayer = -1;
        for (int l : layers) lastLayer = Math.max(lastLayer, l);
        if (lastLayer < 0) return stats;
        Hooks hooks = new Hooks();
        for (int l = 0; l <= lastLayer; l++) {
            if (!layers.contains(l)) continue;
            for (String p : POINTS) {
                InputStats s = new InputStats(p.equals("mlp_act") ? inter : c, false);
                stats.put(l + "." + p, s);
                boolean stop = l == lastLayer && p.equals("mlp_act");
                hooks.add("layer." + l + "." + p, (pt, act, tokens, width, starts) -> {
                    s.add(par, act, tokens, starts.length - 1);
                    if (stop) throw STOP;
                });
            }
        }
        run(par, model, hooks, cal, progress);
        return stats;
    }

    private static void run(Parallel par, BertModel model, Hooks hooks, CalibrationSet cal, Progress progress) {
        for (Batch b : cal.batches()) {
            try {
                model.forward(par, b, hooks);
            } catch (Stop expected) {
                // the layer's inputs are collected; the rest of the model is not needed
            }
            if (progress != null) progress.advance(1);
        }
    }
}
