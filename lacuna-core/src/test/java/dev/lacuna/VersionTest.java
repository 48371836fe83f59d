// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version at run time is the root pom.xml's (less -SNAPSHOT): the one place it is set (modules name it as their parent's). */
class VersionTest {
    @Test
    void versionIsThePomVersion() throws Exception {
        String pom = Files.readString(Path.of("../pom.xml"));
        // the project's own <version>, the first one after </modelVersion> (dependencies come later)
        Matcher m = Pattern.compile("</modelVersion>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "no <version> in pom.xml");
        String expected = m.group(1).replaceFirst("-SNAPSHOT$", "");
        assertEquals(expected, Version.get());
        assertTrue(Version.get().matches("\\d+\\.\\d+\\.\\d+"), Version.get());
    }
}
