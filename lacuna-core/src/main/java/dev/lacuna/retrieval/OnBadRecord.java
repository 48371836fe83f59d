// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;

/** What reading does with a malformed, duplicate or empty record: stop, or skip it and report the line. */
public enum OnBadRecord {
    FAIL, SKIP;

    public static OnBadRecord parse(String s) {
        return switch (s) {
            case "fail" -> FAIL;
            case "skip" -> SKIP;
            default -> throw new LacunaException("--on-bad-record must be fail or skip, got '" + s + "'");
        };
    }
}
