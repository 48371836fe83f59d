/**
 * The implementations behind the kernel facade: scalar references, Vector API kernels, GEMM tiling and
 * panel layout, and the provider that picks one at start-up.
 * Uses only {@code concurrent}; callers go through {@code kernel}, which validates.
 */
package dev.lacuna.kernel.internal;
