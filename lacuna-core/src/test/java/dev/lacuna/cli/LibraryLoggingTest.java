// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, finding 9: a command that opens a Lucene index prints only its own line, not Lucene's
 * INFO banner (logged once per JVM, so the command runs in a fresh JVM as the launcher starts it).
 */
class LibraryLoggingTest {
    @Test
    void aBrokenIndexGivesOnlyTheErrorLine(@TempDir Path tmp) throws IOException, InterruptedException {
        Path index = tmp.resolve("i");
        CliRunner.Result build = CliRunner.run("index", "--beir", RetrievalCliTest.collection(tmp.resolve("c"), false).toString(),
                "--out", index.toString(), "--kinds", "dense");
        assertEquals(0, build.exit(), build.err());
        Path vec;
        try (Stream<Path> s = Files.list(index)) {
            vec = s.filter(p -> p.toString().endsWith(".vec")).findFirst().orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(vec, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        ChildJvm.Exit e = ChildJvm.runAny(Main.class, List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"),
                "search", "--index", index.toString(), "--query", "wing", "--mode", "dense");
        assertEquals(1, e.code(), e.err());
        // the JVM's own notice about incubator modules is printed before main runs; nothing else may be
        List<String> lines = e.err().lines().filter(l -> !l.isBlank() && !l.equals("WARNING: Using incubator modules: jdk.incubator.vector")).toList();
        assertEquals(1, lines.size(), e.err());
        assertTrue(lines.get(0).startsWith("lacuna: error: " + index + ": cannot open the index"), e.err());
        assertFalse(e.err().contains("INFO"), e.err());
    }
}
