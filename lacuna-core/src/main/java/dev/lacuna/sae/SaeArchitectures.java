// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;

import java.util.List;

/**
 * The registry of SAE architectures, in the order messages list them. (A holder of its own: each
 * {@link SaeKind} lives in its architecture's class, which must be free to load first.)
 */
public final class SaeArchitectures {
    private SaeArchitectures() {}

    public static final List<SaeKind> ALL = List.of(TopKSae.KIND, BatchTopKSae.KIND, ReluSae.KIND, JumpReluSae.KIND,
            MutualChoiceSae.KIND, FeatureChoiceSae.KIND);

    /** The names, e.g. {@code topk}. */
    public static List<String> names() {
        return ALL.stream().map(SaeKind::name).toList();
    }

    /** The architecture called {@code name}; an unknown name is a one-line error listing the known ones. */
    public static SaeKind named(String name) {
        for (SaeKind k : ALL) if (k.name().equals(name)) return k;
        throw new LacunaException("architecture must be one of " + String.join(", ", names()) + ", got '" + name + "'");
    }
}
