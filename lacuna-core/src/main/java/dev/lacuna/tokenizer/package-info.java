/**
 * Pure-Java WordPiece from {@code tokenizer.json}: normalisation, pre-tokenisation, added tokens,
 * special-token templates, truncation.
 * Uses only the root package.
 */
package dev.lacuna.tokenizer;
