// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Atomic outputs come out with the umask's mode when new and with the replaced output's mode otherwise. */
class AtomicModeTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posix() {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private void writeFile(Path target) throws IOException {
        try (AtomicOutput o = AtomicOutput.open(target)) {
            o.writer().write("x\n");
            o.commit();
        }
    }

    private static void writeDir(Path target) throws IOException {
        try (AtomicDirectory d = AtomicDirectory.create(target, true)) {
            Files.writeString(d.dir().resolve("a.txt"), "a");
            d.commit();
        }
    }

    @Test
    void fileModes() throws IOException {
        String umask = mode(Files.createFile(dir.resolve("reference")));
        Path out = dir.resolve("out.txt");
        writeFile(out);
        assertEquals(umask, mode(out));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        writeFile(out);
        assertEquals("rw-r-----", mode(out));
        assertEquals("x\n", Files.readString(out));
    }

    @Test
    void directoryModes() throws IOException {
        String umask = mode(Files.createDirectory(dir.resolve("reference")));
        Path out = dir.resolve("out");
        writeDir(out);
        assertEquals(umask, mode(out));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-x---"));
        writeDir(out);
        assertEquals("rwxr-x---", mode(out));
    }
}
