// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The activation seam: named points of the forward pass where callers read or replace activations.
 *
 * <p>Names, for layer i: {@code layer.i.resid_pre} (layer input), {@code layer.i.attn_z} (concatenated
 * per-head attention outputs, before the output projection), {@code layer.i.attn_out} (after the
 * output projection, before the residual add), {@code layer.i.resid_mid} (after the first LayerNorm:
 * input of the feed-forward block), {@code layer.i.mlp_act} (after GELU: input of the second FFN
 * projection), {@code layer.i.mlp_out} (FFN output before the residual add), {@code layer.i.resid_post}
 * (layer output); and {@code embed} (embedding output).
 */
public final class Hooks {
    /** Sees, and may overwrite in place, the activation [tokens, width] at a hook point. */
    @FunctionalInterface
    public interface Hook {
        /**
         * @param act        [tokens, width] row-major; only the first tokens x width values are live
         * @param seqStarts  [sequences + 1] row offsets of the packed sequences
         */
        void on(String point, float[] act, int tokens, int width, int[] seqStarts);
    }

    private final Map<String, List<Hook>> hooks = new LinkedHashMap<>();

    public static final Hooks NONE = new Hooks();

    public Hooks add(String point, Hook hook) {
        if (this == NONE) throw new IllegalStateException("Hooks.NONE is shared; create a new Hooks");
        hooks.computeIfAbsent(point, p -> new ArrayList<>()).add(hook);
        return this;
    }

    public boolean isEmpty() {
        return hooks.isEmpty();
    }

    public boolean has(String point) {
        return hooks.containsKey(point);
    }

    public void fire(String point, float[] act, int tokens, int width, int[] seqStarts) {
        List<Hook> list = hooks.get(point);
        if (list == null) return;
        for (Hook h : list) h.on(point, act, tokens, width, seqStarts);
    }

    /** Every hook point of a model with {@code layers} layers, in forward order. */
    public static List<String> points(int layers) {
        List<String> p = new ArrayList<>();
        p.add("embed");
        for (int i = 0; i < layers; i++) {
            for (String s : new String[] {"resid_pre", "attn_z", "attn_out", "resid_mid", "mlp_act", "mlp_out", "resid_post"}) {
                p.add("layer." + i + "." + s);
            }
        }
        return p;
    }
}
