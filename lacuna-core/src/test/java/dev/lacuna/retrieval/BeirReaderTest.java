// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeirReaderTest {
    static Path badCollection(Path dir) throws IOException {
        Files.writeString(dir.resolve("corpus.jsonl"), String.join("\n",
                "{\"_id\": \"a\", \"title\": \"Wings\", \"text\": \"lift of a wing\"}",
                "{\"_id\": \"b\", \"title\": \"\", \"text\": \"boundary layer\"}",
                "{\"_id\": \"c\", \"title\": \"broken\", \"text\": \"no closing brace\"",
                "{\"_id\": \"a\", \"title\": \"again\", \"text\": \"duplicate id\"}",
                "",
                "{\"_id\": \"e\", \"title\": \"\", \"text\": \"  \"}",
                "{\"_id\": \"f\", \"title\": \"Shock\", \"text\": \"shock waves\"}") + "\n");
        Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"wing lift\"}\n{\"_id\": \"q2\", \"text\": \"\"}\n");
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\ta\t2\nq1\tf\t0\nq9\tb\t1\n");
        return dir;
    }

    @Test
    void skipReportsEveryBadLine(@TempDir Path tmp) throws IOException {
        List<String> reported = new ArrayList<>();
        BeirCollection c = new BeirReader(OnBadRecord.SKIP, reported::add).read(badCollection(tmp), "test");
        assertEquals(List.of("a", "b", "f"), c.documents().stream().map(BeirDocument::id).toList());
        assertEquals(4, c.problems().size(), c.problems().toString());
        assertEquals(c.problems().size(), reported.size());
        assertTrue(c.problems().get(0).contains("corpus.jsonl: line 3: malformed JSON"), c.problems().get(0));
        assertTrue(c.problems().get(1).contains("line 4: duplicate _id 'a' (first at line 1)"), c.problems().get(1));
        assertTrue(c.problems().get(2).contains("line 6: document 'e' has an empty title and text"), c.problems().get(2));
        assertTrue(c.problems().get(3).contains("queries.jsonl: line 2: query 'q2' has an empty text"), c.problems().get(3));
        assertEquals("Wings lift of a wing", c.documents().get(0).fullText());
        assertEquals("boundary layer", c.documents().get(1).fullText());
        // q1 has a positive judgement; q9 has no query text, q2 was skipped
        assertEquals(List.of("q1"), c.judgedQueries().stream().map(BeirQuery::id).toList());
        assertEquals(2, c.qrels().get("q1").get("a"));
    }

    @Test
    void failStopsAtTheFirstBadLine(@TempDir Path tmp) throws IOException {
        LacunaException e = assertThrows(LacunaException.class,
                () -> new BeirReader(OnBadRecord.FAIL, s -> {}).read(badCollection(tmp), "test"));
        assertTrue(e.getMessage().contains("corpus.jsonl: line 3: malformed JSON"), e.getMessage());
    }

    @Test
    void qrelsWithABadScoreNameTheLine(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("q.tsv");
        Files.writeString(f, "query-id\tcorpus-id\tscore\nq1\ta\t2\nq1\tb\tx\n");
        LacunaException e = assertThrows(LacunaException.class, () -> new BeirReader(OnBadRecord.FAIL, s -> {}).readQrels(f));
        assertTrue(e.getMessage().contains("line 3: score 'x' is not an integer"), e.getMessage());
    }
}
