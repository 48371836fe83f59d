// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import dev.lacuna.eval.Stsb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Paths of the shared, read-only data (../shared/data), as surefire passes them. */
public final class TestData {
    private TestData() {}

    public static Path shared() {
        Path p = Path.of(System.getProperty("lacuna.shared.data", "../shared/data"));
        if (!Files.isDirectory(p)) throw new IllegalStateException("shared data not found at " + p.toAbsolutePath());
        return p;
    }

    public static Path stsbDev() {
        return shared().resolve("stsb/stsb-en-dev.csv");
    }

    /** The first {@code n} distinct sentences of STS-B dev. */
    public static List<String> stsbDevSentences(int n) {
        LinkedHashSet<String> s = new LinkedHashSet<>(Stsb.sentences(Stsb.read(stsbDev())));
        List<String> out = new ArrayList<>(s);
        return out.subList(0, Math.min(n, out.size()));
    }
}
