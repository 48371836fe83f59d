// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * The main job as a library: prune, choose kernels, evaluate, measure side by side, report; model soups;
 * calibration text.
 * Uses {@code prune}, {@code load}, {@code sparse}, {@code bench}, {@code eval}, {@code peer}, {@code
 * plot}, {@code encoder}.
 */
package dev.lacuna.sparsify;
