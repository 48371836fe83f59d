// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

import dev.lacuna.LacunaException;

import java.util.ArrayList;
import java.util.List;

/** RFC-4180 CSV: comma-separated, fields optionally quoted with "" as an escaped quote. */
public final class Csv {
    private Csv() {}

    public static List<List<String>> parse(String text, String where) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int i = 0, n = text.length();
        boolean quoted = false, fieldStarted = false, rowStarted = false;
        while (i < n) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        f.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    f.append(ch);
                }
                i++;
                continue;
            }
            switch (ch) {
                case '"' -> {
                    if (f.length() == 0 && !fieldStarted) quoted = true;
                    else f.append(ch);
                    fieldStarted = true;
                }
                case ',' -> {
                    row.add(f.toString());
                    f.setLength(0);
                    fieldStarted = false;
                    rowStarted = true;
                }
                case '\r' -> { }
                case '\n' -> {
                    if (fieldStarted || rowStarted) {
                        row.add(f.toString());
                        rows.add(row);
                    }
                    row = new ArrayList<>();
                    f.setLength(0);
                    fieldStarted = false;
                    rowStarted = false;
                }
                default -> {
                    f.append(ch);
                    fieldStarted = true;
                }
            }
            i++;
        }
        if (quoted) throw new LacunaException(where + ": unterminated quoted field");
        if (fieldStarted || rowStarted) {
            row.add(f.toString());
            rows.add(row);
        }
        return rows;
    }
}
