// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Crash safety of the final write (issue 16): a child JVM replacing an existing output is killed
 * (SIGKILL) while the output is being written (held there by {@code -Dlacuna.test.slowWrite}); the
 * old output is intact byte for byte, and a second run completes the new one and removes the
 * killed run's temporary.
 */
class KillDuringWriteTest {
    private static final List<String> JVM = List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED");

    @TempDir
    Path dir;

    /** Starts the CLI in a child JVM whose atomic writes wait 60 s before their rename. */
    private static Process startSlow(String... args) throws IOException {
        List<String> opts = new java.util.ArrayList<>(JVM);
        opts.add("-Dlacuna.test.slowWrite=60000");
        return new ProcessBuilder(ChildJvm.command(Main.class, opts, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits (at most 90 s) until a temporary sibling of {@code target} owned by {@code p} satisfies {@code ready}, then kills {@code p}. */
    private void killWhen(Process p, Path target, Predicate<Path> ready) throws IOException, InterruptedException {
        String prefix = "." + target.getFileName() + ".lacuna-tmp-" + p.pid() + "-";
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < end) {
            assertTrue(p.isAlive(), "the child ended before it was killed (exit " + (p.isAlive() ? "" : p.exitValue()) + ")");
            try (Stream<Path> s = Files.list(target.getParent())) {
                if (s.anyMatch(q -> q.getFileName().toString().startsWith(prefix) && ready.test(q))) {
                    p.destroyForcibly();
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
                    return;
                }
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        fail("no temporary " + prefix + "* appeared");
    }

    private List<String> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(q -> q.getFileName().toString()).filter(n -> n.contains(".lacuna-tmp-") || n.contains(".lacuna-old-")).toList();
        }
    }

    private static boolean nonEmptyFile(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void embedKilledWhileWritingLeavesTheOldOutput() throws IOException, InterruptedException {
        Path in = Files.writeString(dir.resolve("in.txt"), "a swept wing\nheat transfer\nthin shells buckle\n");
        Path out = dir.resolve("out.jsonl");
        byte[] old = "{\"old\":true}\n".getBytes();
        Files.write(out, old);

        Process p = startSlow("embed", "--input", in.toString(), "--output", out.toString(), "--overwrite");
        killWhen(p, out, KillDuringWriteTest::nonEmptyFile); // the new lines are written, the rename not done
        assertArrayEquals(old, Files.readAllBytes(out));
        assertEquals(1, temporaries().size(), temporaries().toString());

        ChildJvm.Exit again = ChildJvm.runAny(Main.class, JVM, "embed", "--input", in.toString(), "--output", out.toString(), "--overwrite");
        assertEquals(0, again.code(), again.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        for (String l : lines) assertTrue(l.startsWith("{") && l.endsWith("}") && l.contains("embedding"), l);
        assertEquals(List.of(), temporaries(), "the killed run's temporary is removed");
    }

    @Test
    void indexKilledWhileWritingLeavesTheOldIndex() throws IOException, InterruptedException {
        Path beir = RetrievalCliTest.collection(dir.resolve("c"), false);
        Path index = dir.resolve("i");
        CliRunner.Result first = CliRunner.run("index", "--beir", beir.toString(), "--out", index.toString(), "--kinds", "bm25");
        assertEquals(0, first.exit(), first.err());
        Map<String, byte[]> before = contents(index);

        Process p = startSlow("index", "--beir", beir.toString(), "--out", index.toString(), "--kinds", "bm25,sparse", "--overwrite");
        killWhen(p, index, q -> Files.isDirectory(q) && hasSegments(q)); // Lucene has committed into the temporary
        Map<String, byte[]> after = contents(index);
        assertEquals(before.keySet(), after.keySet());
        for (String f : before.keySet()) assertArrayEquals(before.get(f), after.get(f), f);

        ChildJvm.Exit again = ChildJvm.runAny(Main.class, JVM, "index", "--beir", beir.toString(), "--out", index.toString(),
                "--kinds", "bm25,sparse", "--overwrite");
        assertEquals(0, again.code(), again.err());
        assertTrue(Files.readString(index.resolve("lacuna-index.json")).contains("sparse"));
        assertFalse(contents(index).equals(before));
        assertEquals(List.of(), temporaries());
    }

    private static boolean hasSegments(Path d) {
        try (Stream<Path> s = Files.list(d)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, byte[]> contents(Path d) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path f : s.toList()) if (Files.isRegularFile(f)) m.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        return m;
    }
}
