// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.IoProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What an index holds and how it was made ({@code lacuna-index.json} beside the Lucene files): the
 * provenance (model, attention plan, corpus, date, version) and what search needs to reproduce
 * indexing (kinds, HNSW and sparse settings, the corpus document frequency of every vocabulary term
 * for IDF query weights).
 *
 * @param termDf     [V] number of documents whose (truncated) tokens contain each vocabulary id; empty without a tokenizer
 * @param sparseHead the trained term-weight head the sparse kind's weights come from (null: the untrained formula)
 * @param sparseTerms [V] the sparse field's terms when they are analysed words ({@link WordTerms}), ascending, and
 *                   then {@code termDf} is aligned with them; null when they are the tokenizer's WordPiece ids
 */
public record IndexInfo(int formatVersion, String lacunaVersion, String created, List<String> kinds,
                        String model, String modelSource, String attention, int maxLength, int dim,
                        int hnswM, int hnswBeamWidth, double sparseKeepMass, int sparseMaxTerms, double sparseK1, double sparseB, String sae,
                        String corpus, long corpusBytes, int documents, int skippedRecords, int truncatedDocuments,
                        int[] termDf,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String sparseHead,
                        @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String[] sparseTerms) {
    public static final String FILE = "lacuna-index.json";
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** An index whose sparse weights come from the untrained formula. */
    public IndexInfo(int formatVersion, String lacunaVersion, String created, List<String> kinds,
                     String model, String modelSource, String attention, int maxLength, int dim,
                     int hnswM, int hnswBeamWidth, double sparseKeepMass, int sparseMaxTerms, double sparseK1, double sparseB, String sae,
                     String corpus, long corpusBytes, int documents, int skippedRecords, int truncatedDocuments, int[] termDf) {
        this(formatVersion, lacunaVersion, created, kinds, model, modelSource, attention, maxLength, dim, hnswM, hnswBeamWidth,
                sparseKeepMass, sparseMaxTerms, sparseK1, sparseB, sae, corpus, corpusBytes, documents, skippedRecords, truncatedDocuments, termDf, null, null);
    }

    /** Whether the sparse field's terms are analysed words ({@link #sparseTerms}) rather than WordPiece ids. */
    public boolean sparseWords() {
        return sparseTerms != null;
    }

    public boolean has(String kind) {
        return kinds.contains(kind);
    }

    public void write(Path dir) {
        try (AtomicOutput out = AtomicOutput.open(dir.resolve(FILE))) {
            JSON.writeValue(out.writer(), this);
            out.commit();
        } catch (IOException e) {
            throw new LacunaException(dir.resolve(FILE) + ": cannot write (" + e.getMessage() + ")");
        }
    }

    public static IndexInfo read(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new LacunaException(dir + ": not a Lacuna index (no " + FILE + "; build one with 'lacuna index')");
        }
        try {
            // the format first, from the tree: a later format's new fields must not hide behind "cannot read"
            com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(f.toFile());
            if (tree == null || !tree.isObject()) throw new LacunaException(f + ": not a JSON object (corrupt index description)");
            int format = tree.path("formatVersion").asInt(-1);
            if (format != FORMAT) {
                String by = tree.path("lacunaVersion").asText("");
                throw new LacunaException(f + ": index format " + format + (by.isEmpty() ? "" : ", written by Lacuna " + by)
                        + "; this Lacuna (" + dev.lacuna.Version.get() + ") reads " + FORMAT + " (use the Lacuna that wrote it, or rebuild the index)");
            }
            return JSON.treeToValue(tree, IndexInfo.class);
        } catch (IOException e) {
            throw new LacunaException(f + ": cannot read (" + IoProblem.describe(e) + ")");
        }
    }
}
