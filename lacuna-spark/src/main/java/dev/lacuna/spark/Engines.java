// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.spark;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One engine per executor JVM: the model named by a task is loaded the first time a task of this JVM
 * asks for it and kept for every later task (and every later job); the worker team likewise. Tasks
 * of one JVM that run at once share them (a forward pass started while the team is busy runs on the
 * task's own thread, with the same results).
 */
final class Engines {
    private static final Map<String, LoadedModel> MODELS = new ConcurrentHashMap<>();
    private static final Map<Integer, Parallel> TEAMS = new ConcurrentHashMap<>();

    private Engines() {}

    static LoadedModel model(String spec) {
        return MODELS.computeIfAbsent(spec, ModelLoader::load);
    }

    static Parallel team(int threads) {
        return TEAMS.computeIfAbsent(threads, Parallel::new);
    }
}
