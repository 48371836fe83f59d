// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Attention methods on a running model: capture of q/k/v, per-head calibration into plans, held-out plan
 * evaluation, the attention benchmark, inspection heatmaps and head shapes ({@code AttentionMaps.HeadShape}).
 * Uses {@code attention}, {@code load}, {@code encoder}, {@code model.bert}, {@code eval}, {@code io};
 * nothing below uses it.
 */
package dev.lacuna.attention.calibrate;
