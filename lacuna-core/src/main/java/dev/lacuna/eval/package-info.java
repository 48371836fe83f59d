/**
 * Quality metrics and readers: STS-B, Spearman and Pearson, embedding fidelity, CSV.
 * Uses only {@code io} and the root package.
 */
package dev.lacuna.eval;
