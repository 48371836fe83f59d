// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna spark embed} from the command line, in local[2]: Parquet out, atomically; bad input in one line. */
class SparkMainTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkMain.session("local[2]", "lacuna-cli-test");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(SparkMain.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void embedWritesParquetWithAnEmbeddingColumn() throws Exception {
        Path dir = Files.createTempDirectory("spark-cli-");
        Path in = Files.writeString(dir.resolve("texts.jsonl"), """
                {"id": "a", "text": "A man is playing a guitar."}
                {"id": "b", "text": "A woman slices an onion."}
                {"id": "c", "text": "Two dogs run through the snow."}
                """);
        Path out = dir.resolve("embedded");
        Result r = run("embed", "--input", in.toString(), "--output", out.toString(), "--master", "local[2]");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"rows\":3"), r.out());
        List<Row> rows = spark.read().parquet(out.toString()).orderBy("id").collectAsList();
        assertEquals(3, rows.size());
        assertEquals(384, rows.get(0).getList(rows.get(0).fieldIndex("embedding")).size());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(2, left.count(), "the input and the output only: no temporary sibling left");
        }
        Result again = run("embed", "--input", in.toString(), "--output", out.toString(), "--master", "local[2]");
        assertEquals(1, again.exit());
        assertTrue(again.err().strip().lines().count() == 1 && again.err().contains("already exists"), again.err());
        Result noColumn = run("embed", "--input", in.toString(), "--output", dir.resolve("x").toString(), "--text-column", "body", "--master", "local[2]");
        assertEquals(1, noColumn.exit());
        assertTrue(noColumn.err().contains("no column 'body'"), noColumn.err());
        Result sae = run("index", "--beir", dir.toString(), "--out", dir.resolve("i").toString(), "--kinds", "bm25,sae", "--master", "local[2]");
        assertEquals(1, sae.exit());
        assertTrue(sae.err().contains("lacuna index"), sae.err());
        Result analysis = run("index", "--beir", dir.toString(), "--out", dir.resolve("i").toString(), "--sparse-analysis", "lemma", "--master", "local[2]");
        assertEquals(1, analysis.exit());
        assertTrue(analysis.err().strip().lines().count() == 1 && analysis.err().contains("--sparse-analysis must be words or none"), analysis.err());
        assertFalse(Files.exists(dir.resolve("i")), "no index");
    }
}
