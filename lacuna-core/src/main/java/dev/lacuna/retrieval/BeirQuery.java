// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

/** One query of a BEIR collection. */
public record BeirQuery(String id, String text) {}
