// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real text from the shared data folder (system property lacuna.shared.data). */
final class TestCorpus {
    private TestCorpus() {}

    static Path dataDir() {
        return Path.of(System.getProperty("lacuna.shared.data", "../shared/data"));
    }

    /** sentence1 and sentence2 of every row of STS-B dev. */
    static List<String> stsbDevSentences() {
        List<String> sentences = new ArrayList<>();
        for (List<String> row : readCsv(dataDir().resolve("stsb/stsb-en-dev.csv"))) {
            sentences.add(row.get(0));
            sentences.add(row.get(1));
        }
        return sentences;
    }

    /** Non-empty lines of WikiText-2 validation. */
    static List<String> wikitextLines() {
        return read(dataDir().resolve("text/wikitext2-valid.txt")).lines().filter(l -> !l.isEmpty()).toList();
    }

    /** RFC 4180: quoted fields may hold commas, newlines and doubled quotes; no header. */
    static List<List<String>> readCsv(Path file) {
        String text = read(file);
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test data " + file.toAbsolutePath(), e);
        }
    }
}
