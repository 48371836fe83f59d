package dev.lacuna.train;

import dev.lacuna.model.bert.BertModel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One gradient array per model tensor, named and shaped as {@link BertModel#tensors()}; backward
 * passes add into them, {@link #zero} clears them between steps.
 */
public final class Gradients {
    private final Map<String, float[]> grads = new LinkedHashMap<>();

    /** Zero gradients for every tensor of {@code model}. */
    public Gradients(BertModel model) {
        model.tensors().forEach((name, t) -> grads.put(name, new float[t.data().length]));
    }

    /** The gradient of the tensor {@code name}. */
    public float[] get(String name) {
        float[] g = grads.get(name);
        if (g == null) throw new IllegalArgumentException("no tensor " + name);
        return g;
    }

    /** The gradient of {@code name}, or null when the model has no such tensor (a projection without bias). */
    float[] orNull(String name) {
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
