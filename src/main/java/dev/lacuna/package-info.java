/**
 * The project's one exception type, {@link dev.lacuna.LacunaException}: a user-caused problem in one line.
 * Uses nothing of Lacuna: every package may use it.
 */
package dev.lacuna;
