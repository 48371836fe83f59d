/**
 * Tensors as shape + row-major {@code float[]} ({@link dev.lacuna.tensor.FloatTensor}); no math.
 * Uses only the root package.
 */
package dev.lacuna.tensor;
