/**
 * Resolving a {@code --model} to a runnable {@link dev.lacuna.load.LoadedModel}: embedded models, ONNX
 * files, Hugging Face and Lacuna model directories (read and write).
 * Uses {@code format}, {@code peer}, {@code encoder}, {@code model.bert}, {@code sparse}, {@code kernel},
 * {@code tokenizer}, {@code io}.
 */
package dev.lacuna.load;
