// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Strict UTF-8 input, atomic output (temporary sibling + rename), the progress bar, embedded Europarl text,
 * I/O problems in words. Uses only the root package (and Jackson's exception type, for JSON locations).
 */
package dev.lacuna.io;
