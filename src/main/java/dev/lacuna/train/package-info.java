/**
 * Training in the llm.c manner: each encoder op's forward and backward side by side (one op per file),
 * the activations a backward needs saved in one {@link dev.lacuna.train.Tape}, and the whole-model pass
 * {@link dev.lacuna.train.BertTraining}. Uses {@code model}, {@code model.bert}, {@code kernel},
 * {@code tensor}, {@code concurrent}.
 */
package dev.lacuna.train;
