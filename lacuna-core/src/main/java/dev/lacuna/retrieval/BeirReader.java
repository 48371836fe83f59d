// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.io.TextLines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a collection in BEIR layout: {@code corpus.jsonl} ({@code _id, title, text}),
 * {@code queries.jsonl} ({@code _id, text}) and {@code qrels/SPLIT.tsv} (header, then
 * {@code query-id corpus-id score}). A malformed JSON line, a duplicate id or an empty text either
 * stops reading ({@link OnBadRecord#FAIL}) or is skipped and reported with its file and line
 * ({@link OnBadRecord#SKIP}); nothing is dropped silently. Blank lines carry no record and are passed over.
 */
public final class BeirReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OnBadRecord policy;
    private final Consumer<String> report;
    private final List<String> problems = new ArrayList<>();

    /** @param report receives one line per skipped record (only called under {@link OnBadRecord#SKIP}) */
    public BeirReader(OnBadRecord policy, Consumer<String> report) {
        this.policy = policy;
        this.report = report;
    }

    /** Every problem met so far, one line each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Reads the corpus, the queries and the qrels of {@code split}. */
    public BeirCollection read(Path dir, String split) {
        if (!Files.isDirectory(dir)) throw new LacunaException("--beir " + dir + ": not a directory");
        List<BeirDocument> docs = readCorpus(dir.resolve("corpus.jsonl"));
        List<BeirQuery> queries = readQueries(dir.resolve("queries.jsonl"));
        Map<String, Map<String, Integer>> qrels = readQrels(dir.resolve("qrels").resolve(split + ".tsv"));
        return new BeirCollection(dir, docs, queries, qrels, problems());
    }

    public List<BeirDocument> readCorpus(Path file) {
        List<BeirDocument> out = readRecords(file, (id, n, no) -> {
            String title = n.path("title").asText("");
            String text = n.path("text").asText("");
            if (title.isBlank() && text.isBlank()) {
                bad(file, no, "document '" + id + "' has an empty title and text");
                return null;
            }
            return new BeirDocument(id, title, text);
        });
        if (out.isEmpty()) throw new LacunaException(file + ": no documents");
        return out;
    }

    public List<BeirQuery> readQueries(Path file) {
        return readRecords(file, (id, n, no) -> {
            String text = n.path("text").asText("");
            if (text.isBlank()) {
                bad(file, no, "query '" + id + "' has an empty text");
                return null;
            }
            return new BeirQuery(id, text);
        });
    }

    /** Builds one record from a parsed line with a valid id, or reports it ({@link #bad}) and returns null. */
    private interface RecordMaker<T> {
        T make(String id, JsonNode n, int line);
    }

    /**
     * The records of a JSON-lines file in order: blank lines passed over; a malformed line, a missing id, a
     * record {@code make} refuses or a duplicate id is reported by {@link #bad} and left out.
     */
    private <T> List<T> readRecords(Path file, RecordMaker<T> make) {
        List<T> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int no = i + 1;
            JsonNode n = parse(file, no, line);
            if (n == null) continue;
            String id = id(file, no, n);
            if (id == null) continue;
            T rec = make.make(id, n, no);
            if (rec == null) continue;
            Integer first = seen.putIfAbsent(id, no);
            if (first != null) {
                bad(file, no, "duplicate _id '" + id + "' (first at line " + first + ")");
                continue;
            }
            out.add(rec);
        }
        return out;
    }

    /** query id -> (document id -> grade), in file order; a header line is recognised by a non-numeric score. */
    public Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            int no = i + 1;
            String[] f = line.strip().split("\\s+");
            if (i == 0 && f.length >= 3 && !f[f.length - 1].matches("-?\\d+")) continue;   // header
            // query-id corpus-id score, or TREC's query-id iteration corpus-id score
            if (f.length != 3 && f.length != 4) {
                bad(file, no, "expected 'query-id corpus-id score', got " + f.length + " fields");
                continue;
            }
            int grade;
            try {
                grade = Integer.parseInt(f[f.length - 1]);
            } catch (NumberFormatException e) {
                bad(file, no, "score '" + f[f.length - 1] + "' is not an integer");
                continue;
            }
            Integer prev = out.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).putIfAbsent(f[f.length - 2], grade);
            if (prev != null) bad(file, no, "duplicate judgement of document '" + f[f.length - 2] + "' for query '" + f[0] + "'");
        }
        return out;
    }

    private JsonNode parse(Path file, int no, String line) {
        try {
            JsonNode n = JSON.readTree(line);
            if (n == null || !n.isObject()) {
                bad(file, no, "not a JSON object");
                return null;
            }
            return n;
        } catch (JsonProcessingException e) {
            bad(file, no, "malformed JSON (" + e.getOriginalMessage() + ")");
            return null;
        }
    }

    private String id(Path file, int no, JsonNode n) {
        JsonNode id = n.get("_id");
        if (id == null || id.isNull() || id.isContainerNode() || id.asText().isBlank()) {
            bad(file, no, "missing or empty _id");
            return null;
        }
        return id.asText();
    }

    private void bad(Path file, int line, String what) {
        String msg = file + ": line " + line + ": " + what;
        if (policy == OnBadRecord.FAIL) throw new LacunaException(msg + " (use --on-bad-record skip to skip such records)");
        problems.add(msg);
        report.accept("skipped " + msg);
    }

    private static List<String> lines(Path file) {
        String text = TextLines.readFile(file);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> out = new ArrayList<>(text.split("\n", -1).length);
        for (String l : text.split("\n", -1)) out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        return out;
    }
}
