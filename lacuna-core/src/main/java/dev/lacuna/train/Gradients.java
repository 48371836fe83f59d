// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.train;

import dev.lacuna.model.bert.BertModel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One gradient array per trained model tensor, named and shaped as {@link BertModel#tensors()};
 * backward passes add into them, {@link #zero} clears them between steps. A tensor left out (frozen)
 * has no array, and the backward skips what only it would need.
 */
public final class Gradients {
    private final Map<String, float[]> grads = new LinkedHashMap<>();

    /** Zero gradients for every tensor of {@code model}. */
    public Gradients(BertModel model) {
        this(model, name -> true);
    }

    /** Zero gradients for the tensors of {@code model} that {@code trained} accepts. */
    public Gradients(BertModel model, java.util.function.Predicate<String> trained) {
        model.tensors().forEach((name, t) -> {
            if (trained.test(name)) grads.put(name, new float[t.data().length]);
        });
    }

    /** The gradient of the tensor {@code name}. */
    public float[] get(String name) {
        float[] g = grads.get(name);
        if (g == null) throw new IllegalArgumentException("no tensor " + name);
        return g;
    }

    /** The gradient of {@code name}, or null when it is frozen or the model has no such tensor (a projection without bias). */
    public float[] orNull(String name) {
        return grads.get(name);
    }

    /** Every gradient by tensor name, in the model's order (live arrays). */
    public Map<String, float[]> all() {
        return java.util.Collections.unmodifiableMap(grads);
    }

    public void zero() {
        for (float[] g : grads.values()) java.util.Arrays.fill(g, 0f);
    }
}
