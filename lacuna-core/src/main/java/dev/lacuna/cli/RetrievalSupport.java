// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.load.LoadedModel;
import dev.lacuna.retrieval.BeirCollection;
import dev.lacuna.retrieval.BeirReader;
import dev.lacuna.retrieval.OnBadRecord;
import dev.lacuna.retrieval.SearchOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What the retrieval commands share: reading BEIR with a report, and naming the model for provenance. */
final class RetrievalSupport {
    private RetrievalSupport() {}

    /** Reads a BEIR directory; skipped records are reported on stderr (the first 20 one per line, then a count). */
    static BeirCollection read(Path beir, String split, String onBad) {
        int[] shown = {0};
        BeirReader r = new BeirReader(OnBadRecord.parse(onBad), line -> {
            if (shown[0]++ < 20) System.err.println("lacuna: warning: " + line);
        });
        BeirCollection c = r.read(beir, split);
        if (!c.problems().isEmpty()) {
            System.err.println("lacuna: warning: skipped " + c.problems().size() + " bad record(s) in " + beir
                    + (c.problems().size() > 20 ? " (first 20 shown)" : ""));
        }
        return c;
    }

    /** The --model value as provenance: a path made absolute, an embedded name as is. */
    static String modelId(CommonOptions common) {
        Path p = Path.of(common.model);
        return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : common.model;
    }

    static String attentionId(CommonOptions common) {
        return common.attention == null ? null : common.attention.toAbsolutePath().normalize().toString();
    }

    /** The index kinds a mode's search needs. */
    static List<String> kindsFor(SearchOptions o) {
        Set<String> k = new LinkedHashSet<>();
        List<String> parts = switch (o.mode()) {
            case HYBRID, PRF -> o.parts();
            default -> List.of(o.mode().cli());
        };
        for (String p : parts) {
            switch (p) {
                case "dense", "dense-exact" -> k.add("dense");
                case "sae" -> { k.add("dense"); k.add("sae"); }
                default -> k.add(p);
            }
        }
        if (o.mode() == SearchOptions.Mode.PRF) k.add("dense");
        return List.copyOf(k);
    }

    static boolean needsModel(SearchOptions o) {
        return !(kindsFor(o).equals(List.of("bm25")));
    }

    static LoadedModel loadIfNeeded(CommonOptions common, boolean needed) {
        return needed ? common.load() : null;
    }
}
