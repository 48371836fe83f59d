// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Attention kernels (exact, static-pattern and dynamic sparse), the method registry and per-head plans.
 * Uses {@code kernel}, {@code kernel.internal} (vector species), {@code io} (input checks) and the root
 * package; calibrating and measuring them on a model is {@code attention.calibrate}, above the model.
 *
 * <p>Shapes throughout: a sequence of N tokens packed in [T, C] arrays (C = H x D), head h in columns
 * [h D, (h + 1) D). Every kernel computes one head of one sequence through {@link
 * dev.lacuna.attention.AttentionKernel#attend} (the model's seam) or {@link
 * dev.lacuna.attention.AttentionKernel#attendRows} (a range of query rows, plus the log-sum-exp of the
 * kept softmax mass, for recall measurements).
 *
 * <ul>
 * <li>Exact: {@link dev.lacuna.attention.DenseAttention} (scalar reference), {@link
 *     dev.lacuna.attention.FlashAttention} (tiled online softmax, Vector API; the default).</li>
 * <li>Static masks ({@link dev.lacuna.attention.StaticMasks}, each an {@link
 *     dev.lacuna.attention.AttentionMask}) on {@link dev.lacuna.attention.BlockSparseAttention}.</li>
 * <li>Dynamic: {@link dev.lacuna.attention.TopKAttention} (topk, topp), {@link
 *     dev.lacuna.attention.BlockTopKAttention}, {@link dev.lacuna.attention.VerticalSlashAttention},
 *     {@link dev.lacuna.attention.IndexerAttention} (indexer, hisa, misa), {@link
 *     dev.lacuna.attention.ChunkedAttention} (dhsa), {@link dev.lacuna.attention.BlasstAttention}.</li>
 * <li>By name: {@link dev.lacuna.attention.AttentionMethods} declares each method once (parameters
 *     with defaults, factory, cost model, budget ladder); {@link
 *     dev.lacuna.attention.MethodSpec#parse(String, java.util.Map)} reads it.</li>
 * <li>Plans: {@link dev.lacuna.attention.SparsePlan}, {@link dev.lacuna.attention.PlanFile}.</li>
 * <li>Maps: {@link dev.lacuna.attention.AttentionProbabilities} (the dense [N, N] map of one head).</li>
 * </ul>
 *
 * <p>All kernels share one engine ({@code FlashEngine}) and take their buffers from a per-thread
 * arena ({@code Workspace}); they never allocate per tile.
 */
package dev.lacuna.attention;
