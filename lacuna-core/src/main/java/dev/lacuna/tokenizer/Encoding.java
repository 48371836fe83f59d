// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

/**
 * Token ids of one text, special tokens included.
 *
 * @param ids       token ids, e.g. [CLS] ... [SEP]
 * @param truncated whether the text was cut to fit the maximum length
 */
public record Encoding(int[] ids, boolean truncated) {
    public int length() {
        return ids.length;
    }
}
