// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a main class in a fresh JVM on the test class path, for what is decided once per JVM (kernel choice, vector width). */
public final class ChildJvm {
    private ChildJvm() {}

    /** What the JVM printed; it must exit 0 within a minute. */
    public record Output(String out, String err) {
        /** The stderr lines that start with "lacuna:". */
        public List<String> lacunaLines() {
            return err.lines().filter(l -> l.startsWith("lacuna:")).toList();
        }
    }

    /**
     * @param jvmOptions e.g. {@code --add-modules=jdk.incubator.vector}, {@code -Dlacuna.scalar=true}
     * @param args       arguments of {@code main}
     */
    public static Output run(Class<?> main, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Exit e = runAny(main, jvmOptions, args);
        assertEquals(0, e.code(), e.err());
        return new Output(e.out(), e.err());
    }

    /** How a child JVM ended: its exit code and what it printed. */
    public record Exit(int code, String out, String err) {}

    /** Like {@link #run}, for a child that may fail: it must end within a minute. */
    public static Exit runAny(Class<?> main, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(main, jvmOptions, args)).start();
        p.getOutputStream().close();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Exit(p.exitValue(), out, err.join());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The command line of a JVM running {@code main} on the test class path. */
    public static List<String> command(Class<?> main, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
