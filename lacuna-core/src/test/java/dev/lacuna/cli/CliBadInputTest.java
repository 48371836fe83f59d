// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every kind of bad input gives one error line, a non-zero exit, and no output file. */
class CliBadInputTest {
    @TempDir
    Path dir;

    private CliRunner.Result embedFails(Path input, String expected, String... extra) throws IOException {
        Path out = dir.resolve("out.jsonl");
        String[] args = Stream.concat(Stream.of("embed", "--input", input.toString(), "--output", out.toString()), Arrays.stream(extra))
                .toArray(String[]::new);
        CliRunner.Result r = CliRunner.run(args);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().length, "one error line, got: " + r.err());
        assertTrue(r.err().startsWith("lacuna: error: "), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "no output file");
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".lacuna-tmp-")), "no temporary left behind");
        }
        return r;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void missingInputFile() throws IOException {
        embedFails(dir.resolve("nope.txt"), "no such file");
    }

    @Test
    void emptyInputFile() throws IOException {
        embedFails(write("empty.txt", new byte[0]), "input is empty");
    }

    @Test
    void emptyLine() throws IOException {
        embedFails(write("gap.txt", "first line\n\nthird line\n".getBytes(StandardCharsets.UTF_8)), "line 2 is empty");
    }

    @Test
    void invalidUtf8() throws IOException {
        byte[] bad = {'o', 'k', '\n', 'b', 'a', (byte) 0xC3, (byte) 0x28, '\n'};
        embedFails(write("bad.txt", bad), "invalid UTF-8 at line 2");
    }

    @Test
    void nulByte() throws IOException {
        embedFails(write("nul.txt", "first line\nsec\0ond\n".getBytes(StandardCharsets.UTF_8)), "nul.txt: NUL byte at line 2 (byte offset 14)");
    }

    @Test
    void hugeLine() throws IOException {
        String huge = "word ".repeat(20_000); // 100,000 characters
        embedFails(write("huge.txt", ("short\n" + huge + "\n").getBytes(StandardCharsets.UTF_8)), "line 2 has 100000 characters");
    }

    @Test
    void corruptOnnxModel() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        Path model = write("garbage.onnx", "this is not a protobuf at all, just text\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        embedFails(input, "garbage.onnx", "--model", model.toString());
    }

    @Test
    void truncatedOnnxModel() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        byte[] full = ModelLoader.resource("all-minilm-l6-v2.onnx");
        Path model = write("cut.onnx", Arrays.copyOf(full, full.length / 3));
        embedFails(input, "cut.onnx", "--model", model.toString());
    }

    @Test
    void directoryWithoutConfig() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        Path m = Files.createDirectory(dir.resolve("model"));
        embedFails(input, "config.json", "--model", m.toString());
    }

    @Test
    void missingModel() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        embedFails(input, "no such file or directory", "--model", dir.resolve("absent").toString());
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("embed", "--frobnicate", "3");
        assertEquals(2, r.exit());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("--frobnicate"), r.err());
    }

    @Test
    void badNumbersAreRejected() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        embedFails(input, "--batch must be >= 1", "--batch", "0");
        embedFails(input, "--threads must be between", "--threads", "0");
    }

    @Test
    void badStsbFile() throws IOException {
        Path csv = write("bad.csv", "only,two\n".getBytes(StandardCharsets.UTF_8));
        CliRunner.Result r = CliRunner.run("eval", "stsb", "--data", csv.toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("has 2 fields, expected 3"), r.err());
    }

    @Test
    void attentionPlanNamingAMissingLayer() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        Path plan = write("plan.yaml", ("format: lacuna-attention-plan/1\nmodel: default\nlayers: 12\nheads: 12\nplan:\n"
                + "- {layer: 9, head: 0, method: window, params: {}}\n").getBytes(StandardCharsets.UTF_8));
        embedFails(input, "layer", "--attention", plan.toString());
    }

    @Test
    void attentionBenchBadArguments() {
        CliRunner.Result r = CliRunner.run("attention", "bench", "--method", "topk", "--length", "512", "--recall", "1.5");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("--recall must be in (0, 1]"), r.err());
        CliRunner.Result m = CliRunner.run("attention", "bench", "--method", "nope", "--length", "512");
        assertEquals(1, m.exit(), m.err());
        assertTrue(m.err().contains("unknown --method 'nope'"), m.err());
        CliRunner.Result k = CliRunner.run("attention", "bench", "--method", "topk", "--length", "512", "--source", "synthetic", "--param", "k=0");
        assertEquals(1, k.exit(), k.err());
        assertTrue(k.err().toLowerCase().contains("k"), k.err());
    }

    @Test
    void attentionCalibrateAndEvalBadArguments() {
        Path plan = dir.resolve("plan.yaml");
        String[][] cases = {
                {"--recall", "0", "--recall must be in (0, 1]"},
                {"--cosine", "1.5", "--cosine must be in (0, 1]"},
                {"--cost", "money", "--cost must be pairs, flops or time"},
                {"--length", "100000", "--length must be in [8, 4096]"},
                {"--allocation", "fair", "--allocation must be uniform, hess or error, got 'fair'"},
                {"--dense-layers", "two", "--dense-layers must be a number >= 0 or auto, got 'two'"},
                {"--dense-layers", "-1", "--dense-layers must be a number >= 0 or auto, got '-1'"},
                {"--skip-share", "1", "--skip-share must be in [0, 1), got 1.0"},
        };
        for (String[] c : cases) {
            CliRunner.Result r = CliRunner.run("attention", "calibrate", c[0], c[1], "--out", plan.toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            assertFalse(Files.exists(plan), "no plan written");
        }
        CliRunner.Result e = CliRunner.run("attention", "eval");
        assertEquals(1, e.exit(), e.err());
        assertTrue(e.err().contains("needs --attention"), e.err());
    }

    @Test
    void attentionFrontierBadArguments() {
        Path out = dir.resolve("frontier");
        String[][] cases = {
                {"--methods", "nope", "unknown attention method 'nope'"},
                {"--methods", "topp", "none of --methods has a budget knob"},
                {"--sparsity", "1.0", "--sparsity: 1.0 is outside (0, 1)"},
                {"--sparsity", "0", "--sparsity: 0.0 is outside (0, 1)"},
                {"--lengths", "100000", "--lengths: 100000 is outside [8, 4096]"},
                {"--synthetic-lengths", "8", "--synthetic-lengths: 8 is outside [64, 65536]"},
                {"--windows", "0", "--windows must be >= 1"},
        };
        for (String[] c : cases) {
            CliRunner.Result r = CliRunner.run("attention", "frontier", c[0], c[1], "--out", out.toString());
            assertEquals(1, r.exit(), r.err());
            assertEquals(1, r.errLines().length, "one error line, got: " + r.err());
            assertTrue(r.err().startsWith("lacuna: error: ") && r.err().contains(c[2]), r.err());
            assertFalse(Files.exists(out), "no output written");
        }
    }

    /** An output that resolves to the input (same path, hard link, symlink) is refused and the input keeps its bytes. */
    @Test
    void outputThatIsTheInputIsRefused() throws IOException {
        byte[] text = "hello world\n".getBytes(StandardCharsets.UTF_8);
        Path input = write("in.txt", text);
        Path hard = Files.createLink(dir.resolve("hard.txt"), input);
        Path soft = Files.createSymbolicLink(dir.resolve("soft.txt"), input);
        for (Path out : new Path[] {input, dir.resolve("sub/../in.txt"), hard, soft}) {
            Files.createDirectories(dir.resolve("sub"));
            for (String[] extra : new String[][] {{}, {"--overwrite"}}) {
                String[] args = Stream.concat(Stream.of("embed", "--input", input.toString(), "--output", out.toString()), Arrays.stream(extra))
                        .toArray(String[]::new);
                CliRunner.Result r = CliRunner.run(args);
                assertEquals(1, r.exit(), r.err());
                assertEquals(1, r.errLines().length, r.err());
                assertTrue(r.err().contains(out + " is the input " + input), r.err());
                assertArrayEquals(text, Files.readAllBytes(input), "input unchanged");
            }
        }
        assertTrue(Files.isSymbolicLink(soft), "the symlink is left as it was");
    }

    /** An existing --output is refused unless --overwrite, and left as it was. */
    @Test
    void embedRefusesAnExistingOutput() throws IOException {
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        byte[] old = "keep me\n".getBytes(StandardCharsets.UTF_8);
        Path out = write("out.jsonl", old);
        CliRunner.Result r = CliRunner.run("embed", "--input", input.toString(), "--output", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains(out + " already exists (use --overwrite to replace it)"), r.err());
        assertArrayEquals(old, Files.readAllBytes(out));
        CliRunner.Result o = CliRunner.run("embed", "--input", input.toString(), "--output", out.toString(), "--overwrite");
        assertEquals(0, o.exit(), o.err());
        assertTrue(Files.readString(out).startsWith("{\"embedding\":["), "replaced");
    }

    /** A new output gets the umask's mode (as any new file here); an overwritten one keeps its own. */
    @Test
    void outputModesFollowTheUmaskAndTheReplacedFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX file system");
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        var umaskMode = Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
        Path out = dir.resolve("new.jsonl");
        assertEquals(0, CliRunner.run("embed", "--input", input.toString(), "--output", out.toString()).exit());
        assertEquals(PosixFilePermissions.toString(umaskMode), PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals(0, CliRunner.run("embed", "--input", input.toString(), "--output", out.toString(), "--overwrite").exit());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    /** A FIFO (or any input that is not a regular file) is refused at once instead of blocking on open. */
    @Test
    void fifoInputIsRefused() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo works here");
        Path input = write("in.txt", "hello world\n".getBytes(StandardCharsets.UTF_8));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            embedFails(fifo, fifo + ": not a regular file");
            embedFails(input, fifo + ": not a regular file", "--attention", fifo.toString());
            embedFails(input, fifo + ": not a regular file", "--model", fifo.toString());
            CliRunner.Result r = CliRunner.run("sparsify", "--recipe", fifo.toString(), "--out", dir.resolve("sparse").toString());
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains(fifo + ": not a regular file"), r.err());
        });
        embedFails(dir, dir + ": not a regular file (a directory)");
    }

    @Test
    void recoverRefusesAnExistingOutAndBadTrials() throws IOException {
        Path out = Files.createDirectory(dir.resolve("existing"));
        CliRunner.Result r = CliRunner.run("recover", "thresholds", "--quick", "--out", out.toString());
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("already exists (use --overwrite to replace it)"), r.err());
        CliRunner.Result t = CliRunner.run("recover", "regression", "--trials", "0", "--out", dir.resolve("reg").toString());
        assertEquals(1, t.exit(), t.err());
        assertTrue(t.err().contains("--trials must be >= 1, got 0"), t.err());
        assertFalse(Files.exists(dir.resolve("reg")));
        CliRunner.Result s = CliRunner.run("recover", "kronecker", "--seed", "x", "--out", dir.resolve("k").toString());
        assertEquals(2, s.exit(), s.err());
    }

    /** Run without a command, a group names every subcommand in picocli's table (not a hand-kept list). */
    @Test
    void missingCommandNamesEveryCommand() {
        for (String[] args : new String[][] {{}, {"attention"}, {"sae"}, {"eval"}, {"recover"}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(2, r.exit(), r.err());
            assertEquals(1, r.errLines().length, r.err());
            picocli.CommandLine cl = new picocli.CommandLine(new Main());
            for (String a : args) cl = cl.getSubcommands().get(a);
            var names = cl.getSubcommands().keySet();
            assertTrue(names.size() >= 2, "a group: " + names);
            assertTrue(r.err().contains("missing ") && r.err().contains("(" + String.join(", ", names) + ")"),
                    String.join(" ", args) + ": " + r.err());
        }
        assertTrue(CliRunner.run().err().contains("sparsify, frontier, soup, attention, embed, eval, bench, inspect, index, search, bulk-export, export, sae"));
    }

    /** The trained sparse head options: a corrupt head, a head without the sparse kind, an existing output. */
    @Test
    void sparseHeadOptionsFailInOneLineBeforeAnyWork() throws IOException {
        Path beir = RetrievalCliTest.collection(dir.resolve("c"), false);
        Path index = dir.resolve("idx");
        Path head = write("head.json", "{\"format\":\"lacuna-term-weight-head\",\"formatVersion\":1,\"hiddenSize\":384,\"u\":[1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String[][] cases = {
                {"--sparse-head", head.toString(), "\"u\" must be an array of hiddenSize (384) numbers, has 1"},
                {"--sparse-head", write("junk.json", new byte[] {'{', 'x'}).toString(), "junk.json: cannot read"},
                {"--sparse-head", dir.resolve("absent.json").toString(), "absent.json: no such file"},
                {"--train-sparse-head", dir.resolve("new.json").toString(), "--kinds bm25", "--train-sparse-head needs sparse among --kinds"},
                {"--train-sparse-head", head.toString(), "head.json already exists (use --overwrite"},
                {"--train-sparse-head", dir.resolve("new.json").toString(), "--sparse-train-steps 0", "--sparse-train-steps must be >= 1, got 0"},
                {"--train-sparse-head", dir.resolve("new.json").toString(), "--sparse-head " + head, "give one"},
                {"--sparse-analysis", "lemma", "--sparse-analysis must be words, none or english, got 'lemma'"},
                {"--sparse-analysis", "english", "--sparse-analysis english is for head training (--train-sparse-head)"},
        };
        for (String[] c : cases) {
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("index", "--beir", beir.toString(), "--out", index.toString(), c[0], c[1]));
            for (int i = 2; i < c.length - 1; i++) args.addAll(java.util.List.of(c[i].split(" ")));
            if (c.length == 3) args.addAll(java.util.List.of("--kinds", "bm25,sparse"));
            CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
            assertEquals(1, r.exit(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().startsWith("lacuna: error: ") && r.err().contains(c[c.length - 1]), String.join(" ", args) + ": " + r.err());
            assertFalse(Files.exists(index), "no index");
            assertFalse(Files.exists(dir.resolve("new.json")), "no head");
        }
    }

    /**
     * An output whose parent directory is missing is refused before any work (index embedded the whole
     * corpus, then failed at its final rename, before this check), and nothing is created.
     */
    @Test
    void anOutputUnderAMissingDirectoryIsRefusedBeforeAnyWork() throws IOException {
        Path beir = RetrievalCliTest.collection(dir.resolve("c"), false);
        Path missing = dir.resolve("no-such-dir");
        String[][] cases = {
                {"index", "--beir", beir.toString(), "--kinds", "bm25", "--out", missing.resolve("idx").toString()},
                {"index", "--beir", beir.toString(), "--kinds", "bm25,sparse", "--out", dir.resolve("idx").toString(),
                        "--train-sparse-head", missing.resolve("head.json").toString()},
                {"recover", "thresholds", "--quick", "--out", missing.resolve("r").toString()},
        };
        for (String[] c : cases) {
            CliRunner.Result r = CliRunner.run(c);
            assertEquals(1, r.exit(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
            assertTrue(r.err().contains(": parent directory " + missing + " does not exist"), r.err());
            assertFalse(r.err().contains("embed corpus"), "no work started: " + r.err());
            assertFalse(Files.exists(missing), "nothing created");
            assertFalse(Files.exists(dir.resolve("idx")), "no index");
        }
    }

    /** --debug adds the stack trace, given to the command or above it, and is accepted by every command. */
    @Test
    void debugAddsTheStackTraceOnly() {
        String missing = dir.resolve("absent").toString();
        for (String[] base : new String[][] {{"embed", "--input", missing}, {"sae", "train", "--store", missing, "--out", dir.resolve("sae").toString()}}) {
            CliRunner.Result plain = CliRunner.run(base);
            assertEquals(1, plain.exit(), plain.err());
            assertEquals(1, plain.errLines().length, plain.err());
            assertFalse(plain.err().contains("\tat "), plain.err());
            String[] last = Stream.concat(Arrays.stream(base), Stream.of("--debug")).toArray(String[]::new);
            String[] first = Stream.concat(Stream.of("--debug"), Arrays.stream(base)).toArray(String[]::new);
            for (String[] args : new String[][] {last, first}) {
                CliRunner.Result r = CliRunner.run(args);
                assertEquals(1, r.exit(), r.err());
                assertTrue(r.err().startsWith(plain.err().strip()), "same error line first: " + r.err());
                assertTrue(r.err().contains("dev.lacuna.LacunaException") && r.err().contains("\tat "), String.join(" ", args) + ": " + r.err());
            }
        }
        java.util.List<String> without = new java.util.ArrayList<>();
        forEachCommand(new picocli.CommandLine(new Main()), cl -> {
            if (!cl.getCommandSpec().optionsMap().containsKey("--debug")) without.add(cl.getCommandSpec().qualifiedName());
        });
        assertEquals(java.util.List.of(), without, "commands without --debug");
    }

    private static void forEachCommand(picocli.CommandLine cl, java.util.function.Consumer<picocli.CommandLine> f) {
        f.accept(cl);
        cl.getSubcommands().values().forEach(s -> forEachCommand(s, f));
    }
}
