/**
 * Strict UTF-8 input, atomic output (temporary sibling + rename), the progress bar, embedded Europarl text.
 * Uses only the root package.
 */
package dev.lacuna.io;
