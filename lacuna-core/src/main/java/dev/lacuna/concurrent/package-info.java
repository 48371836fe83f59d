// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * {@link dev.lacuna.concurrent.Parallel}: the fixed team of threads every multi-threaded kernel runs on,
 * deterministic for any team size.
 * Uses only the JDK.
 */
package dev.lacuna.concurrent;
