// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

/** SIGTERM and SIGINT as a callback, so that a command can stop cleanly and still return its exit code. */
final class Signals {
    private Signals() {}

    @SuppressWarnings("removal")
    static void onTerminate(Runnable r) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> r.run());
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform (or is reserved by the JVM): the default stays
            }
        }
    }
}
