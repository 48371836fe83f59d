/**
 * {@link dev.lacuna.concurrent.Parallel}: the fixed team of threads every multi-threaded kernel runs on,
 * deterministic for any team size.
 * Uses only the JDK.
 */
package dev.lacuna.concurrent;
