// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lacuna.LacunaException;
import dev.lacuna.attention.PlanFile;
import dev.lacuna.eval.Stsb;
import dev.lacuna.format.BertOnnxImporter;
import dev.lacuna.format.HfBertLoader;
import dev.lacuna.format.OnnxModel;
import dev.lacuna.format.Safetensors;
import dev.lacuna.format.SafetensorsFile;
import dev.lacuna.format.TensorEntry;
import dev.lacuna.prune.Recipe;
import dev.lacuna.retrieval.BeirReader;
import dev.lacuna.retrieval.IndexInfo;
import dev.lacuna.retrieval.OnBadRecord;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.Sae;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import dev.lacuna.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz targets for every parser of a user file (issue 16). Each feeds the bytes to the parser as the
 * file it reads and allows only {@link LacunaException}, the one-line error: anything else (another
 * exception, an error such as out-of-memory, a hang) is a finding. Without {@code JAZZER_FUZZ} the
 * targets replay their seeds and stored findings ({@code src/test/resources/dev/lacuna/fuzz/
 * ParserFuzzTestInputs/TARGET/}); see docs/RELIABILITY.md for long runs.
 */
@Tag("fuzz")
class ParserFuzzTest {
    /** How long each target fuzzes under JAZZER_FUZZ=1 (a constant: annotations need one); raise it for long runs. */
    static final String DURATION = "60s";

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("lacuna-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    interface Parser {
        void parse() throws IOException;
    }

    /** Runs {@code p}; a LacunaException is a correct answer to bad bytes, and nothing else is. */
    private static void onlyLacunaErrors(Parser p) {
        try {
            p.parse();
        } catch (LacunaException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("a LacunaException without a message", e);
        } catch (IOException e) {
            throw new AssertionError("an IOException escaped the parser", e);
        }
    }

    /** {@code bytes} as the file {@code name} in a fresh directory. */
    private static Path file(String name, byte[] bytes) {
        try {
            Path d = Files.createTempDirectory(DIR, "t");
            Path f = d.resolve(name);
            Files.createDirectories(f.getParent());
            Files.write(f, bytes);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the fresh directory that holds {@code f}. */
    private static void clean(Path f) {
        try (var s = Files.walk(DIR.resolve(DIR.relativize(f).getName(0)))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary under target/
        }
    }

    private static void withFile(String name, byte[] bytes, java.util.function.Consumer<Path> body) {
        Path f = file(name, bytes);
        try {
            body.accept(f);
        } finally {
            clean(f);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void onnx(byte[] data) {
        onlyLacunaErrors(() -> BertOnnxImporter.importModel(OnnxModel.parse(data, "fuzz.onnx")));
    }

    @FuzzTest(maxDuration = DURATION)
    void safetensors(byte[] data) {
        withFile("model.safetensors", data, f -> onlyLacunaErrors(() -> {
            try (SafetensorsFile sf = Safetensors.open(f)) {
                for (TensorEntry e : sf.tensors().values()) {
                    switch (e.dtype()) {
                        case F32, F16, BF16, F64 -> e.toFloatTensor();
                        default -> { }
                    }
                }
            }
        }));
    }

    @FuzzTest(maxDuration = DURATION)
    void tokenizerJson(byte[] data) {
        onlyLacunaErrors(() -> WordPieceTokenizer.fromJson(new ByteArrayInputStream(data), 64).encode("Hello, wörld! unaffable [UNK]"));
    }

    @FuzzTest(maxDuration = DURATION)
    void configJson(byte[] data) {
        withFile("config.json", data, f -> onlyLacunaErrors(() -> HfBertLoader.readConfig(f)));
    }

    @FuzzTest(maxDuration = DURATION)
    void recipeYaml(byte[] data) {
        withFile("recipe.yaml", data, f -> onlyLacunaErrors(() -> Recipe.load(f)));
    }

    @FuzzTest(maxDuration = DURATION)
    void planYaml(byte[] data) {
        withFile("plan.yaml", data, f -> onlyLacunaErrors(() -> PlanFile.read(f)));
    }

    @FuzzTest(maxDuration = DURATION)
    void saeCfgJson(byte[] data) {
        withFile("sae/cfg.json", data, f -> onlyLacunaErrors(() -> Sae.load(f.getParent())));
    }

    @FuzzTest(maxDuration = DURATION)
    void activationStoreJson(byte[] data) {
        withFile("store/store.json", data, f -> onlyLacunaErrors(() -> {
            Files.write(f.resolveSibling("acts-00000.bin"), new byte[64]);   // 2 rows of d_in 8, float32
            Files.write(f.resolveSibling("tokens.bin"), new byte[16]);       // 2 x (token id, sequence)
            ActivationStore.open(f.getParent()).close();
        }));
    }

    @FuzzTest(maxDuration = DURATION)
    void beirCorpus(byte[] data) {
        withFile("corpus.jsonl", data, f -> onlyLacunaErrors(() -> {
            new BeirReader(OnBadRecord.SKIP, s -> {}).readCorpus(f);
            new BeirReader(OnBadRecord.FAIL, s -> {}).readCorpus(f);
        }));
    }

    @FuzzTest(maxDuration = DURATION)
    void beirQueries(byte[] data) {
        withFile("queries.jsonl", data, f -> onlyLacunaErrors(() -> new BeirReader(OnBadRecord.SKIP, s -> {}).readQueries(f)));
    }

    @FuzzTest(maxDuration = DURATION)
    void beirQrels(byte[] data) {
        withFile("test.tsv", data, f -> onlyLacunaErrors(() -> new BeirReader(OnBadRecord.SKIP, s -> {}).readQrels(f)));
    }

    @FuzzTest(maxDuration = DURATION)
    void stsbCsv(byte[] data) {
        withFile("sts.csv", data, f -> onlyLacunaErrors(() -> Stsb.read(f)));
    }

    /**
     * The data-format targets (BEIR corpus, queries, qrels; STS-B CSV) also replay seeds cut from the
     * real files in ../shared/data at run time (never copied into the repository): each file's head,
     * every truncation of it at 23 points, and 40 seeded one-byte changes.
     */
    @Test
    void sharedDataSeedsReplay() throws IOException {
        Path d = TestData.shared();
        replay(head(d.resolve("retrieval/cranfield/corpus.jsonl"), 12), this::beirCorpus);
        replay(head(d.resolve("retrieval/cranfield/queries.jsonl"), 12), this::beirQueries);
        replay(head(d.resolve("retrieval/cranfield/qrels/test.tsv"), 30), this::beirQrels);
        replay(head(d.resolve("stsb/stsb-en-dev.csv"), 30), this::stsbCsv);
    }

    /** The first {@code lines} lines of {@code f}, as bytes. */
    private static byte[] head(Path f, int lines) throws IOException {
        try (var s = Files.lines(f)) {
            return (String.join("\n", s.limit(lines).toList()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void replay(byte[] seed, java.util.function.Consumer<byte[]> target) {
        target.accept(seed);
        for (int i = 1; i <= 23; i++) target.accept(java.util.Arrays.copyOf(seed, (int) ((long) seed.length * i / 24)));
        java.util.Random r = new java.util.Random(16);
        for (int i = 0; i < 40; i++) {
            byte[] m = seed.clone();
            m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            target.accept(m);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void indexInfoJson(byte[] data) {
        withFile("index/lacuna-index.json", data, f -> onlyLacunaErrors(() -> IndexInfo.read(f.getParent())));
    }

    @FuzzTest(maxDuration = DURATION)
    void termWeightHeadJson(byte[] data) {
        withFile("head.json", data, f -> onlyLacunaErrors(() -> dev.lacuna.retrieval.TermWeightHead.read(f)));
    }
}
