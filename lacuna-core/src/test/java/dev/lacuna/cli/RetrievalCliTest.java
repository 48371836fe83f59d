// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retrieval commands end to end on a tiny BEIR collection (BM25 only: no model needed). */
class RetrievalCliTest {
    static Path collection(Path dir, boolean bad) throws IOException {
        Files.createDirectories(dir);
        StringBuilder c = new StringBuilder();
        c.append("{\"_id\":\"d1\",\"title\":\"wing lift\",\"text\":\"lift of a swept wing in a slipstream\"}\n");
        c.append("{\"_id\":\"d2\",\"title\":\"heat\",\"text\":\"heat transfer at hypersonic speed\"}\n");
        if (bad) c.append("{\"_id\":\"d3\",\"title\":\"broken\"\n");
        c.append("{\"_id\":\"d4\",\"title\":\"shells\",\"text\":\"buckling of thin cylindrical shells\"}\n");
        c.append("{\"_id\":\"d5\",\"title\":\"plates\",\"text\":\"vibration of plates and wing panels\"}\n");
        Files.writeString(dir.resolve("corpus.jsonl"), c);
        Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\":\"1\",\"text\":\"wing lift\"}\n{\"_id\":\"2\",\"text\":\"buckling shells\"}\n{\"_id\":\"3\",\"text\":\"unjudged\"}\n");
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\n1\td1\t2\n1\td5\t1\n2\td4\t1\n2\td2\t0\n");
        return dir;
    }

    @Test
    void evalRetrievalEndsWithTheContractLine(@TempDir Path tmp) throws IOException {
        CliRunner.Result r = CliRunner.run("eval", "retrieval", "--beir", collection(tmp, false).toString(), "--mode", "bm25", "--warmup", "0");
        assertEquals(0, r.exit(), r.err());
        String last = r.lastLine();
        assertTrue(last.matches("\\{\"queries\":2,\"ndcg@10\":[0-9.]+,\"recall@100\":[0-9.]+,\"p50_ms\":[0-9.]+,\"p99_ms\":[0-9.]+,\"postings_per_query\":[0-9.]+}"), last);
        // both queries find their relevant documents at rank 1 (and 2): nDCG 1, recall 1
        assertTrue(last.contains("\"ndcg@10\":1.0000,\"recall@100\":1.0000"), last);
    }

    @Test
    void qrelsNamingDocumentsNotInTheCorpusAreCountedAndAllUnknownIsAnError(@TempDir Path tmp) throws IOException {
        // issue 16, finding 4: such qrels gave nDCG 0.0 without a word
        Path beir = collection(tmp.resolve("c"), false);
        Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\n1\td1\t2\n1\td77\t1\n2\td4\t1\n2\td78\t0\n");
        CliRunner.Result some = CliRunner.run("eval", "retrieval", "--beir", beir.toString(), "--mode", "bm25", "--warmup", "0");
        assertEquals(0, some.exit(), some.err());
        assertTrue(some.err().contains("lacuna: 2 qrels name documents not in the corpus (e.g. d77)\n"), some.err());
        assertTrue(some.lastLine().startsWith("{\"queries\":2,") && some.lastLine().endsWith(",\"qrels_not_in_corpus\":2}"), some.lastLine());

        Files.writeString(beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\n1\tx1\t2\n2\tx2\t1\n2\td4\t0\n");
        CliRunner.Result none = CliRunner.run("eval", "retrieval", "--beir", beir.toString(), "--mode", "bm25", "--warmup", "0");
        assertEquals(1, none.exit(), none.err());
        assertEquals("", none.out());
        assertTrue(none.err().strip().endsWith("lacuna: error: " + beir + ": no positive qrel names a document in the corpus "
                + "(2 qrels name documents not in it, e.g. x1)"), none.err());
    }

    @Test
    void badRecordsFailWithTheLineOrAreSkippedWithAReport(@TempDir Path tmp) throws IOException {
        Path beir = collection(tmp.resolve("c"), true);
        CliRunner.Result fail = CliRunner.run("index", "--beir", beir.toString(), "--out", tmp.resolve("i1").toString(), "--kinds", "bm25",
                "--on-bad-record", "fail");
        assertEquals(1, fail.exit());
        assertTrue(fail.err().contains("corpus.jsonl: line 3: malformed JSON"), fail.err());
        assertFalse(Files.exists(tmp.resolve("i1")));

        CliRunner.Result skip = CliRunner.run("index", "--beir", beir.toString(), "--out", tmp.resolve("i2").toString(), "--kinds", "bm25",
                "--on-bad-record", "skip");
        assertEquals(0, skip.exit(), skip.err());
        assertTrue(skip.err().contains("skipped") && skip.err().contains("line 3"), skip.err());
        assertTrue(skip.lastLine().contains("\"documents\":4,\"skipped\":1"), skip.lastLine());

        CliRunner.Result search = CliRunner.run("search", "--index", tmp.resolve("i2").toString(), "--query", "cylindrical shells", "--mode", "bm25");
        assertEquals(0, search.exit(), search.err());
        assertTrue(search.out().startsWith("1\td4\t"), search.out());
        assertTrue(search.out().strip().split("\n")[0].endsWith("\tshells"), search.out());
    }

    @Test
    void anEmptyQueryIsAnError(@TempDir Path tmp) throws IOException {
        // issue 16, finding 7: --query "" printed ten ranked results
        CliRunner.Result idx = CliRunner.run("index", "--beir", collection(tmp.resolve("c"), false).toString(), "--out", tmp.resolve("i").toString(),
                "--kinds", "bm25");
        assertEquals(0, idx.exit(), idx.err());
        for (String q : new String[] {"", "  \t "}) {
            CliRunner.Result r = CliRunner.run("search", "--index", tmp.resolve("i").toString(), "--query", q, "--mode", "bm25");
            assertEquals(1, r.exit(), r.err());
            assertEquals("", r.out());
            assertEquals("lacuna: error: --query is empty (give the text to search for)", r.err().strip());
        }
    }

    @Test
    void saeWithoutAnSaeFailsClearly(@TempDir Path tmp) throws IOException {
        // the SAE package registers its encoder, so what is missing is the trained SAE
        CliRunner.Result r = CliRunner.run("index", "--beir", collection(tmp.resolve("c"), false).toString(), "--out", tmp.resolve("i").toString(),
                "--kinds", "bm25,sae");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("SAE-sparse retrieval") && r.err().contains("pass --sae DIR"), r.err());
        assertFalse(Files.exists(tmp.resolve("i")), "no index written");
        // a directory that is not an SAE
        Files.createDirectories(tmp.resolve("notsae"));
        CliRunner.Result n = CliRunner.run("index", "--beir", collection(tmp.resolve("c2"), false).toString(), "--out", tmp.resolve("i2").toString(),
                "--kinds", "bm25,sae", "--sae", tmp.resolve("notsae").toString());
        assertEquals(1, n.exit());
        assertTrue(n.err().startsWith("lacuna: error: ") && n.err().contains("notsae"), n.err());
        assertFalse(Files.exists(tmp.resolve("i2")), "no index written");
    }

    @Test
    void attentionPlanIsHonouredAndRecordedInTheIndex(@TempDir Path tmp) throws IOException {
        Path beir = collection(tmp.resolve("c"), false);
        Path plan = tmp.resolve("plan.yaml");
        Files.writeString(plan, "format: lacuna-attention-plan/1\nmodel: default\nlayers: 6\nheads: 12\nplan:\n"
                + "- {layer: 0, head: 0, method: window, params: {window: 2}}\n");
        CliRunner.Result eval = CliRunner.run("eval", "retrieval", "--beir", beir.toString(), "--mode", "dense-exact", "--attention", plan.toString(),
                "--warmup", "0");
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(eval.lastLine().startsWith("{\"queries\":2,\"ndcg@10\":"), eval.lastLine());

        Path index = tmp.resolve("i");
        CliRunner.Result build = CliRunner.run("index", "--beir", beir.toString(), "--out", index.toString(), "--kinds", "dense",
                "--attention", plan.toString());
        assertEquals(0, build.exit(), build.err());
        assertTrue(Files.readString(index.resolve("lacuna-index.json")).contains(plan.toAbsolutePath().toString()));
        // queries must be embedded as the documents were: the same plan, or an error
        CliRunner.Result without = CliRunner.run("search", "--index", index.toString(), "--query", "wing", "--mode", "dense-exact");
        assertEquals(1, without.exit());
        assertTrue(without.err().contains("--attention " + plan.toAbsolutePath()), without.err());
        CliRunner.Result with = CliRunner.run("search", "--index", index.toString(), "--query", "wing", "--mode", "dense-exact",
                "--attention", plan.toString());
        assertEquals(0, with.exit(), with.err());
        assertTrue(with.out().startsWith("1\td"), with.out());
    }

    /**
     * {@code lacuna index} writes analysed words as sparse terms by default (issue 18): the index lists
     * BM25's terms (stems, no stop words), a query matches by stem without running the model, and
     * {@code --sparse-analysis none} keeps WordPiece terms.
     */
    @Test
    void sparseTermsAreAnalysedWordsByDefault(@TempDir Path tmp) throws IOException {
        Path beir = collection(tmp.resolve("c"), false);
        Path words = tmp.resolve("words");
        CliRunner.Result build = CliRunner.run("index", "--beir", beir.toString(), "--out", words.toString(), "--kinds", "bm25,sparse");
        assertEquals(0, build.exit(), build.err());
        com.fasterxml.jackson.databind.JsonNode info = new com.fasterxml.jackson.databind.ObjectMapper().readTree(words.resolve("lacuna-index.json").toFile());
        java.util.List<String> terms = new java.util.ArrayList<>();
        info.path("sparseTerms").forEach(t -> terms.add(t.asText()));
        assertTrue(terms.contains("wing") && terms.contains("shell") && terms.contains("panel"), terms.toString());
        assertFalse(terms.contains("of") || terms.contains("wings") || terms.contains("a"), terms.toString());
        assertEquals(terms.stream().sorted().toList(), terms, "ascending");
        assertEquals(terms.size(), info.path("termDf").size());
        // "Shell" and "Wings" reach the documents through their stems
        CliRunner.Result search = CliRunner.run("search", "--index", words.toString(), "--query", "Shell", "--mode", "sparse");
        assertEquals(0, search.exit(), search.err());
        assertEquals(1, search.out().strip().split("\n").length, search.out());
        assertTrue(search.out().startsWith("1\td4\t"), search.out());
        CliRunner.Result wings = CliRunner.run("search", "--index", words.toString(), "--query", "the Wings", "--mode", "sparse");
        assertEquals(java.util.Set.of("d1", "d5"), java.util.Arrays.stream(wings.out().strip().split("\n")).map(l -> l.split("\t")[1])
                .collect(java.util.stream.Collectors.toSet()), wings.out());

        // bulk export names the features by their words
        Path bulk = tmp.resolve("bulk.ndjson");
        CliRunner.Result export = CliRunner.run("bulk-export", "--index", words.toString(), "--format", "opensearch", "--out", bulk.toString());
        assertEquals(0, export.exit(), export.err());
        com.fasterxml.jackson.databind.JsonNode d1 = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readAllLines(bulk).get(1));
        assertTrue(d1.path("sparse").has("wing") && d1.path("sparse").has("slipstream") && !d1.path("sparse").has("of"), d1.toString());

        Path pieces = tmp.resolve("pieces");
        CliRunner.Result none = CliRunner.run("index", "--beir", beir.toString(), "--out", pieces.toString(), "--kinds", "sparse", "--sparse-analysis", "none");
        assertEquals(0, none.exit(), none.err());
        assertFalse(Files.readString(pieces.resolve("lacuna-index.json")).contains("sparseTerms"));
        CliRunner.Result wp = CliRunner.run("search", "--index", pieces.toString(), "--query", "Shell", "--mode", "sparse");
        assertEquals(0, wp.exit(), wp.err());
        assertFalse(wp.out().contains("\td4\t"), "WordPiece 'shell' is not 'shells': " + wp.out());
    }
}
