// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * One-shot post-training pruning: masks, methods, calibration through the model's hook points, and YAML
 * recipes (prune steps, then optionally int8 weights, {@link dev.lacuna.prune.QuantizeModifier}).
 * Uses {@code model}, {@code model.bert}, {@code sparse}, {@code kernel}, {@code concurrent}, {@code tensor}, {@code io}.
 *
 * <p>Entry point: {@link dev.lacuna.prune.OneShotPruner#prune}: a model, a {@link dev.lacuna.prune.Recipe},
 * tokenized calibration sequences → a {@link dev.lacuna.prune.PruneResult} (new model, per-layer
 * {@link dev.lacuna.prune.LayerReport}s, final {@link dev.lacuna.prune.Mask}s).
 *
 * <p>Methods ({@link dev.lacuna.prune.LayerPruner}): {@link dev.lacuna.prune.MagnitudePruner},
 * {@link dev.lacuna.prune.RandomPruner}, {@link dev.lacuna.prune.WandaPruner},
 * {@link dev.lacuna.prune.SparseGptPruner}; {@link dev.lacuna.prune.DsnotRefiner} refines any mask;
 * {@link dev.lacuna.prune.LayerwiseSparsity} gives ERK and OWL per-layer ratios. Every method produces
 * scores (SparseGPT selects inside its column blocks) and shares one selection step
 * ({@link dev.lacuna.sparse.MaskSelection}) that honours the {@link dev.lacuna.sparse.SparsityPattern}
 * exactly: unstructured (round(s·N·K) zeros), N:M along the inputs, R x C blocks.
 *
 * <p>Calibration: inputs of the projections are read at the hook points {@code layer.i.resid_pre}
 * (query, key, value), {@code layer.i.attn_z} (attention output), {@code layer.i.resid_mid}
 * (intermediate) and {@code layer.i.mlp_act} (output), layer by layer on the partially pruned model.
 *
 * <p>Recipe keys (the stable contract): {@code method} (magnitude | random | wanda | sparsegpt),
 * {@code sparsity}, {@code pattern} (unstructured | "N:M" | block:RxC), {@code targets}, {@code ignore}
 * (exact names, {@code re:} regexes, or {@code Linear}), {@code layerwise_ratio} (uniform | erk),
 * {@code scope} (layer | global, magnitude only), {@code seed}, {@code dsnot}, {@code owl}, and the
 * method parameters {@code dampening}, {@code block_size} (sparsegpt), {@code owl_lambda}, {@code owl_m}
 * (owl), {@code dsnot_iterations}, {@code dsnot_threshold} (dsnot). A {@code quantize} step, last:
 * {@code weights} (int8), {@code scheme} (per_channel), {@code targets}, {@code ignore}.
 */
package dev.lacuna.prune;
