// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

/**
 * An error caused by the user's input (a file, an option, a text), reported as one line without a
 * stack trace. Everything else is a bug and keeps its stack trace.
 */
public class LacunaException extends RuntimeException {
    public LacunaException(String message) {
        super(message);
    }

    public LacunaException(String message, Throwable cause) {
        super(message, cause);
    }
}
