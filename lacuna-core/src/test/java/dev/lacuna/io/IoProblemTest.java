// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 16, finding 13: I/O problems are said in words, never as Java exception names or parser dumps. */
class IoProblemTest {
    @Test
    void problemsAreWords(@TempDir Path tmp) throws IOException {
        Path absent = tmp.resolve("absent.json");
        assertEquals("no such file", IoProblem.describe(assertThrows(IOException.class, () -> Files.readString(absent))));
        assertEquals("no such file or directory", IoProblem.describe(assertThrows(IOException.class, () -> new FileInputStream(absent.toFile()))));
        assertEquals("is a directory", IoProblem.describe(assertThrows(IOException.class, () -> Files.readString(tmp))));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\n  \"a\": 1,\n  \"b\": }\n");
        String json = IoProblem.describe(assertThrows(IOException.class, () -> new ObjectMapper().readTree(bad.toFile())));
        assertEquals("not valid JSON at line 3 column 8 (Unexpected character ('}' (code 125)): expected a value)", json);
    }
}
