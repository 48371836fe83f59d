// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Sparse recovery: given y [m] = A [m, n] · x [n] + noise with x sparse, estimate x. Proximal
 * operators (soft, hard, lq, CEL0), ISTA / FISTA over any of them, IHT, OMP (single and batch),
 * Lasso by coordinate descent, SBL by EM and its Kronecker-structured variants (AM and SVD).
 * Everything is double precision and deterministic (the dictionary's products on the Vector API, lanes
 * summed in a fixed order; Batch-OMP's signals over a team give the same values on any team); problem
 * generators take a seed. Uses {@code dev.lacuna} (LacunaException), {@code concurrent} (Parallel) and
 * {@code kernel.internal} (Species).
 * See docs/RECOVERY.md.
 */
package dev.lacuna.recovery;
