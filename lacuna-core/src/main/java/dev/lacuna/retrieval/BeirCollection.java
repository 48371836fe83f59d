// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A BEIR collection as read.
 *
 * @param qrels    query id -> (document id -> grade)
 * @param problems skipped records, one line each (empty when reading was clean)
 */
public record BeirCollection(Path dir, List<BeirDocument> documents, List<BeirQuery> queries,
                             Map<String, Map<String, Integer>> qrels, List<String> problems) {

    /** The queries that count in evaluation: those with at least one judged document of grade > 0. */
    public List<BeirQuery> judgedQueries() {
        List<BeirQuery> out = new ArrayList<>();
        for (BeirQuery q : queries) {
            Map<String, Integer> r = qrels.get(q.id());
            if (r != null && r.values().stream().anyMatch(g -> g > 0)) out.add(q);
        }
        return out;
    }

    /** The document id of every judgement (any grade) naming a document the corpus lacks, in qrels order. */
    public List<String> judgementsNotInCorpus() {
        Set<String> ids = new HashSet<>();
        for (BeirDocument d : documents) ids.add(d.id());
        List<String> out = new ArrayList<>();
        for (Map<String, Integer> r : qrels.values()) for (String doc : r.keySet()) if (!ids.contains(doc)) out.add(doc);
        return out;
    }
}
