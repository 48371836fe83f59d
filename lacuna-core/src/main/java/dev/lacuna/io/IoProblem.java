// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, in words, for one-line messages: "no such file", "permission denied",
 * "not valid JSON at line 3 column 7 (...)". Java's exception names and multi-line parser reports
 * stay out of what a user reads.
 */
public final class IoProblem {
    private IoProblem() {}

    public static String describe(IOException e) {
        return switch (e) {
            case JsonProcessingException j -> json(j);
            case NoSuchFileException x -> "no such file";
            case AccessDeniedException x -> "permission denied";
            case NotDirectoryException x -> "not a directory";
            case FileSystemException f when f.getReason() != null -> lower(f.getReason());
            case FileNotFoundException f -> reasonInParentheses(f.getMessage());
            default -> e.getMessage() == null || e.getMessage().isBlank() ? "input/output error" : lower(firstLine(e.getMessage()));
        };
    }

    private static String json(JsonProcessingException j) {
        JsonLocation at = j.getLocation();
        String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
        String why = j.getOriginalMessage() == null ? "" : " (" + firstLine(j.getOriginalMessage()) + ")";
        return "not valid JSON" + where + why;
    }

    /** FileNotFoundException says "PATH (No such file or directory)": keep the reason. */
    private static String reasonInParentheses(String message) {
        if (message == null) return "no such file";
        int open = message.lastIndexOf(" ("), close = message.lastIndexOf(')');
        return open >= 0 && close > open ? lower(message.substring(open + 2, close)) : firstLine(message);
    }

    private static String lower(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("").strip();
    }
}
