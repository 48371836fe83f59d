// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

/** Turns text into token ids, as the model's Hugging Face tokenizer does. */
public interface Tokenizer {
    /** Encodes one text with special tokens, truncated to {@link #maxLength()} tokens in all. */
    Encoding encode(String text);

    /** Maximum number of tokens of an encoding, special tokens included. */
    int maxLength();

    /** Id of the padding token. */
    int padId();

    /** A tokenizer identical to this one but truncating at {@code maxLength}. */
    Tokenizer withMaxLength(int maxLength);
}
