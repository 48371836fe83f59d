// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Java source of every module (main and test, generated ones too) starts with the licence lines
 * {@link GeneratedSource#LICENSE_HEADER}: the copyright and the SPDX identifier of the Apache License 2.0
 * (LICENSE at the root). A file without them fails the build here.
 */
class LicenseHeadersTest {
    @Test
    void everyJavaSourceStartsWithTheLicenceHeader() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(root.resolve("LICENSE")), "the repository root with LICENSE: " + root);
        List<Path> modules = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src"))).forEach(modules::add);
        }
        assertTrue(modules.size() >= 3, "modules: " + modules);
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path m : modules) {
            try (Stream<Path> files = Files.walk(m.resolve("src"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    checked++;
                    if (!Files.readString(f, StandardCharsets.UTF_8).startsWith(GeneratedSource.LICENSE_HEADER)) missing.add(root.relativize(f).toString());
                }
            }
        }
        assertTrue(checked > 400, "Java sources checked: " + checked);
        assertEquals(List.of(), missing, "Java sources without the licence header (" + GeneratedSource.LICENSE_HEADER.strip().replace('\n', ' ') + ")");
    }
}
