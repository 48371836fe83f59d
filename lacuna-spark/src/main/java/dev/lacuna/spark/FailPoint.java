// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.spark;

/**
 * A task that dies on purpose, for the test that a job failing midway leaves no index: with
 * {@code -Dlacuna.spark.failPartition=P} (or the same system property set in-process), the task
 * building partition P throws. Off unless set.
 */
final class FailPoint {
    private FailPoint() {}

    static void maybeFail(int partition) {
        String p = System.getProperty("lacuna.spark.failPartition");
        if (p != null && Integer.parseInt(p) == partition) throw new IllegalStateException("lacuna.spark.failPartition: partition " + partition + " fails on purpose");
    }
}
