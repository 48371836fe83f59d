// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

import dev.lacuna.LacunaException;
import dev.lacuna.io.TextLines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads STS Benchmark CSV files: {@code sentence1,sentence2,score}, RFC-4180 quoting, no header. */
public final class Stsb {
    private Stsb() {}

    public static List<StsbPair> read(Path file) {
        List<List<String>> rows = Csv.parse(TextLines.readFile(file), file.toString());
        List<StsbPair> pairs = new ArrayList<>(rows.size());
        int line = 0;
        for (List<String> r : rows) {
            line++;
            if (r.size() != 3) throw new LacunaException(file + ": record " + line + " has " + r.size() + " fields, expected 3 (sentence1,sentence2,score)");
            double score;
            try {
                score = Double.parseDouble(r.get(2).trim());
            } catch (NumberFormatException e) {
                throw new LacunaException(file + ": record " + line + ": score '" + r.get(2) + "' is not a number");
            }
            pairs.add(new StsbPair(r.get(0), r.get(1), score));
        }
        if (pairs.isEmpty()) throw new LacunaException(file + ": no pairs");
        return pairs;
    }

    /** Both sentences of every pair, in order (2 x pairs). */
    public static List<String> sentences(List<StsbPair> pairs) {
        List<String> s = new ArrayList<>(pairs.size() * 2);
        for (StsbPair p : pairs) {
            s.add(p.sentence1());
            s.add(p.sentence2());
        }
        return s;
    }
}
