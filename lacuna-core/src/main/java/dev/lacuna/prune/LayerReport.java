// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

/**
 * What pruning did to one projection.
 *
 * @param modifier       1-based index of the recipe step
 * @param name           Hugging Face name of the projection
 * @param rows           N, output features
 * @param cols           K, input features
 * @param method         method and options, e.g. {@code sparsegpt} or {@code wanda+owl}
 * @param pattern        pattern spelling, e.g. {@code 2:4}
 * @param targetSparsity sparsity asked of this layer (after ERK / OWL / global allocation)
 * @param sparsity       sparsity of its mask after this step
 * @param error          ||W X - W' X||² / ||W X||² on the calibration inputs of this step; NaN without calibration
 */
public record LayerReport(int modifier, String name, int rows, int cols, String method, String pattern,
                          double targetSparsity, double sparsity, double error) {}
