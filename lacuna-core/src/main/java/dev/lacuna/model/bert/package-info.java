// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * The BERT encoder: {@link dev.lacuna.model.bert.BertConfig}, weights with shapes as fields, the forward
 * pass ({@link dev.lacuna.model.bert.BertModel}).
 * Uses {@code model}, {@code attention} (its kernels), {@code kernel}, {@code concurrent}, {@code tensor}.
 */
package dev.lacuna.model.bert;
