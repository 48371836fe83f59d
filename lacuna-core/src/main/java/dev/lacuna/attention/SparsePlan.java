// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A per-layer, per-head choice of attention method, as calibrated or read from a plan file. Heads
 * the plan does not list run dense attention. Immutable; kernels are built once, on first use.
 *
 * @param model      the model the plan was made for (e.g. {@code default})
 * @param identity   that model's fingerprints, or null for a plan written before plans recorded them
 * @param layers     layers of that model
 * @param heads      heads per layer of that model
 * @param entries    the listed heads, in layer then head order
 * @param provenance how the plan was made: calibration text, windows, recall target, seed, version
 */
public final class SparsePlan implements AttentionPlan {
    private final String model;
    private final ModelIdentity identity;
    private final int layers;
    private final int heads;
    private final List<Entry> entries;
    private final Map<String, String> provenance;
    private final AttentionKernel[][] kernels; // [layer][head]

    /**
     * One head's choice.
     *
     * @param recall      attention mass recall measured at calibration (NaN if unknown)
     * @param cost        time relative to dense attention at calibration (NaN if unknown)
     * @param sensitivity the head's sensitivity score (HeSS since plans were reallocated by it, 1 = the
     *                    model's mean; plans written before: ||W_o,h|| x rms(z_h), 1 = its layer's mean; NaN if unknown)
     * @param shape       the head's attention-map shape (diagonal, vertical, block, global, diffuse), or "";
     *                    the plan file's key {@code pattern}
     * @param skippable   the head's output share was below the calibration's skip share: a hint; the head
     *                    is skipped only when its method is {@code skip}
     */
    public record Entry(int layer, int head, MethodSpec method, double recall, double cost, double sensitivity,
                        String shape, boolean skippable) {
        public Entry {
            if (layer < 0) throw new LacunaException("plan: layer must be >= 0, got " + layer);
            if (head < 0) throw new LacunaException("plan: head must be >= 0, got " + head);
        }
    }

    public SparsePlan(String model, int layers, int heads, List<Entry> entries, Map<String, String> provenance) {
        this(model, null, layers, heads, entries, provenance);
    }

    public SparsePlan(String model, ModelIdentity identity, int layers, int heads, List<Entry> entries, Map<String, String> provenance) {
        if (layers < 1) throw new LacunaException("plan: layers must be >= 1, got " + layers);
        if (heads < 1) throw new LacunaException("plan: heads must be >= 1, got " + heads);
        entries = List.copyOf(entries);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        boolean[][] seen = new boolean[layers][heads];
        for (Entry e : entries) {
            if (e.layer() >= layers) throw new LacunaException("plan names layer " + e.layer() + ", but the model has layers 0.." + (layers - 1));
            if (e.head() >= heads) throw new LacunaException("plan names head " + e.head() + " of layer " + e.layer() + ", but layers have heads 0.." + (heads - 1));
            if (seen[e.layer()][e.head()]) throw new LacunaException("plan lists layer " + e.layer() + " head " + e.head() + " twice");
            seen[e.layer()][e.head()] = true;
        }
        this.model = model;
        this.identity = identity;
        this.layers = layers;
        this.heads = heads;
        this.entries = entries;
        this.provenance = provenance;
        AttentionKernel dense = new FlashAttention();
        kernels = new AttentionKernel[layers][heads];
        for (AttentionKernel[] row : kernels) java.util.Arrays.fill(row, dense);
        Map<MethodSpec, AttentionKernel> shared = new LinkedHashMap<>();
        for (Entry e : entries) kernels[e.layer()][e.head()] = shared.computeIfAbsent(e.method(), MethodSpec::kernel);
    }

    public String model() {
        return model;
    }

    /** The fingerprints of the model the plan was made for, or null when the file did not record them. */
    public ModelIdentity identity() {
        return identity;
    }

    /** This plan, recorded as made for {@code id}. */
    public SparsePlan withIdentity(ModelIdentity id) {
        return new SparsePlan(id.name(), id, layers, heads, entries, provenance);
    }

    public int layers() {
        return layers;
    }

    public int heads() {
        return heads;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Map<String, String> provenance() {
        return provenance;
    }

    @Override
    public AttentionKernel kernel(int layer, int head) {
        if (layer >= layers || head >= heads) {
            throw new LacunaException("plan has layers 0.." + (layers - 1) + " x heads 0.." + (heads - 1)
                    + "; the model asked for layer " + layer + " head " + head);
        }
        return kernels[layer][head];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparsePlan p && model.equals(p.model) && java.util.Objects.equals(identity, p.identity) && layers == p.layers && heads == p.heads
                && entries.equals(p.entries) && provenance.equals(p.provenance);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(model, identity, layers, heads, entries, provenance);
    }

    @Override
    public String toString() {
        return "SparsePlan[" + model + ", " + layers + "x" + heads + ", " + methodCounts() + "]";
    }

    /**
     * This plan for a model with {@code modelLayers} layers of {@code modelHeads} heads.
     *
     * @throws LacunaException when the plan names layers or heads the model lacks
     */
    @Override
    public SparsePlan checkFits(int modelLayers, int modelHeads) {
        if (layers > modelLayers) {
            throw new LacunaException("plan is for " + layers + " layers, but the model has " + modelLayers + " (layers 0.." + (modelLayers - 1) + ")");
        }
        if (heads > modelHeads) {
            throw new LacunaException("plan is for " + heads + " heads per layer, but the model has " + modelHeads);
        }
        return this;
    }

    /** The entry of a head, or null when the plan leaves it dense. */
    public Entry entry(int layer, int head) {
        for (Entry e : entries) if (e.layer() == layer && e.head() == head) return e;
        return null;
    }

    /** Counts of heads per method name. */
    public Map<String, Integer> methodCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        int listed = 0;
        for (Entry e : entries) {
            m.merge(e.method().name(), 1, Integer::sum);
            listed++;
        }
        if (listed < layers * heads) m.merge("dense", layers * heads - listed, Integer::sum);
        return m;
    }

    /** A plan with the given entries replaced or added. */
    public SparsePlan with(List<Entry> changes) {
        Map<Long, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) m.put(((long) e.layer() << 32) | e.head(), e);
        for (Entry e : changes) m.put(((long) e.layer() << 32) | e.head(), e);
        List<Entry> all = new ArrayList<>(m.values());
        all.sort((a, b) -> a.layer() != b.layer() ? Integer.compare(a.layer(), b.layer()) : Integer.compare(a.head(), b.head()));
        return new SparsePlan(model, identity, layers, heads, all, provenance);
    }
}
