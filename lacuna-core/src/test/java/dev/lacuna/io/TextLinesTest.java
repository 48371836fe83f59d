// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TextLinesTest {
    @TempDir
    Path dir;

    /** Whole-file readers (CSV, JSONL, calibration text) refuse NUL as the line reader does. */
    @Test
    void nulIsAnErrorNamingFileAndLine() throws IOException {
        Path f = Files.write(dir.resolve("data.csv"), "a,b,1\nc,d,2\ne\0,f,3\n".getBytes(StandardCharsets.UTF_8));
        LacunaException e = assertThrows(LacunaException.class, () -> TextLines.readFile(f));
        assertEquals(f + ": NUL byte at line 3 (byte offset 13); text must not contain NUL", e.getMessage());
        LacunaException l = assertThrows(LacunaException.class, () -> TextLines.parse("\0".getBytes(StandardCharsets.UTF_8), "stdin", 100));
        assertEquals("stdin: NUL byte at line 1 (byte offset 0); text must not contain NUL", l.getMessage());
    }

    @Test
    void invalidUtf8StillNamesItsLine() {
        byte[] bad = {'o', 'k', '\n', 'x', (byte) 0xC3, (byte) 0x28};
        LacunaException e = assertThrows(LacunaException.class, () -> TextLines.decode(bad, "f.txt"));
        assertEquals("f.txt: invalid UTF-8 at line 2 (byte offset 4)", e.getMessage());
    }
}
