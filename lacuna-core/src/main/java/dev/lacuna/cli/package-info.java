// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * The picocli commands: options, one-line errors, exit codes; the only package that calls {@code
 * System.exit}.
 * Uses any package; nothing uses it.
 */
package dev.lacuna.cli;
