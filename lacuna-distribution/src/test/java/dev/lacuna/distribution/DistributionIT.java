// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive, unpacked into a temporary folder outside the source tree, runs with only a JDK
 * 25: {@code lacuna --version}, {@code lacuna embed} and {@code lacuna sparsify --no-peers} work from
 * there, with a {@code mvn} on the PATH that fails if anything calls it, and no source in reach.
 */
class DistributionIT {
    static final String VERSION = System.getProperty("lacuna.version");
    /** What Lacuna records and prints: the version without -SNAPSHOT (dev.lacuna.Version). */
    static final String RELEASE = VERSION.replaceFirst("-SNAPSHOT$", "");
    static final Path ARCHIVE = Path.of(System.getProperty("lacuna.archive", "target/lacuna-" + VERSION));
    static Path home;     // the unpacked lacuna-VERSION folder
    static Map<String, String> env;

    @BeforeAll
    static void unpack() throws Exception {
        Path tgz = Path.of(ARCHIVE + ".tar.gz");
        assertTrue(Files.isRegularFile(tgz), tgz + " built by mvn package");
        Path root = Files.createTempDirectory("lacuna-dist-");
        Sh.Result untar = Sh.run(root, Map.of(), null, 120, List.of("tar", "xzf", tgz.toAbsolutePath().toString()));
        assertEquals(0, untar.exit(), untar.both());
        home = root.resolve("lacuna-" + VERSION);
        // a JDK 25 and nothing else: JAVA_HOME is the JDK running this test; mvn answers with an error
        Path bin = Files.createDirectories(root.resolve("fake-bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho 'mvn must not be called from a distribution' >&2\nexit 97\n");
        Files.setPosixFilePermissions(mvn, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
        env = Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", bin + ":/usr/bin:/bin",
                "LACUNA_CACHE_DIR", root.resolve("cache").toString());
    }

    static Sh.Result lacuna(byte[] stdin, long seconds, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(home.resolve("lacuna").toString());
        cmd.addAll(List.of(args));
        return Sh.run(home.getParent(), env, stdin, seconds, cmd);
    }

    @Test
    void archiveHoldsTheLauncherTheJarsAndTheDocs() throws IOException {
        for (String f : new String[] {"lacuna", "lacuna.jar", "README.md", "LICENSE", "NOTICE", "CHANGELOG.md", "THIRD-PARTY.txt", "docs/ARCHITECTURE.md"}) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f);
        }
        assertTrue(Files.isExecutable(home.resolve("lacuna")));
        assertFalse(Files.exists(home.resolve("pom.xml")), "no build in the archive");
        String thirdParty = Files.readString(home.resolve("THIRD-PARTY.txt"));
        assertTrue(thirdParty.contains("(MIT) onnx-runtime (com.microsoft.onnxruntime:onnxruntime:1.28.0"), thirdParty);
        try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
            Set<String> names = new TreeSet<>();
            libs.forEach(p -> names.add(p.getFileName().toString()));
            assertTrue(names.contains("onnxruntime-1.28.0.jar") && names.stream().anyMatch(n -> n.startsWith("lucene-core-")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("junit") || n.startsWith("jazzer")), "no test libraries: " + names);
        }
        // the zip holds the same files as the tar.gz
        Set<String> inZip = new TreeSet<>(), inTar = new TreeSet<>();
        try (ZipFile z = new ZipFile(ARCHIVE + ".zip")) {
            z.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).forEach(inZip::add);
        }
        try (Stream<Path> w = Files.walk(home)) {
            w.filter(Files::isRegularFile).forEach(p -> inTar.add("lacuna-" + VERSION + "/" + home.relativize(p).toString().replace('\\', '/')));
        }
        assertEquals(inTar, inZip);
    }

    @Test
    void versionEmbedAndSparsifyRunFromTheUnpackedArchive() throws Exception {
        Sh.Result v = lacuna(null, 120, "--version");
        assertEquals(0, v.exit(), v.both());
        assertTrue(v.out().startsWith("lacuna " + RELEASE + " (commit "), v.out());
        assertFalse(v.err().contains("building"), "nothing built: " + v.err());

        Sh.Result e = lacuna("A man is playing a guitar.\nA woman slices an onion.\n".getBytes(StandardCharsets.UTF_8), 180, "embed", "--threads", "2");
        assertEquals(0, e.exit(), e.both());
        List<String> lines = e.out().lines().toList();
        assertEquals(2, lines.size(), e.out());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(384, first.get("embedding").size(), lines.get(0));

        Path out = home.getParent().resolve("sparse");
        Sh.Result s = lacuna(null, 600, "sparsify", "--recipe", "magnitude-50", "--calib-count", "4", "--eval-count", "16", "--seconds", "1",
                "--no-peers", "--threads", "2", "--out", out.toString());
        assertEquals(0, s.exit(), s.both());
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "lacuna.json", "report.html"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + "\n" + s.both());
        }
        JsonNode lj = new ObjectMapper().readTree(out.resolve("lacuna.json").toFile());
        assertEquals(RELEASE, lj.get("lacuna_version").asText());
        // the pruned model runs from the archive too
        Sh.Result again = lacuna("hello world\n".getBytes(StandardCharsets.UTF_8), 180, "embed", "--model", out.toString(), "--threads", "1");
        assertEquals(0, again.exit(), again.both());
        assertFalse(Files.exists(home.resolve("target")), "nothing built inside the archive");
    }

    @Test
    void testCommandSaysWhereTheTestsAre() throws Exception {
        Sh.Result t = lacuna(null, 60, "test");
        assertEquals(2, t.exit(), t.both());
        assertTrue(t.err().contains("source checkout"), t.err());
    }
}
