// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.tokenizer;

import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Lab (not a test): tokenizer throughput, ours and Hugging Face's through DJL, one thread, at max
 * length 128 on STS-B dev and WikiText-2 ({@link SharedTokenizerTest} checks that both give the
 * same ids there, so the rates compare the same work).
 * Run, after {@code mvn test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt} (DJL is test-scoped):
 * java -cp target/classes:target/test-classes:$(cat cp.txt) dev.lacuna.tokenizer.TokenizerThroughputLab
 */
public final class TokenizerThroughputLab {
    private static final long RUN_NANOS = 1_000_000_000L;

    private TokenizerThroughputLab() {}

    public static void main(String[] args) {
        WordPieceTokenizer ours = TokenizerFiles.ALL_MINILM_L6_V2.load(128);
        try (HfReference hf = new HfReference(TokenizerFiles.ALL_MINILM_L6_V2.bytes(), 128)) {
            for (var corpus : List.of(
                    new Corpus("STS-B dev sentences", TestCorpus.stsbDevSentences()),
                    new Corpus("WikiText-2 lines", TestCorpus.wikitextLines()))) {
                measure("lacuna", corpus, 3 * RUN_NANOS / 2, text -> ours.encode(text).length());
                measure("hf/djl", corpus, RUN_NANOS / 4, text -> hf.encode(text).length);
            }
        }
    }

    private record Corpus(String name, List<String> texts) {}

    private static void measure(String who, Corpus corpus, long warmUpNanos, ToIntFunction<String> encode) {
        run(corpus.texts, encode, warmUpNanos);
        long[] result = run(corpus.texts, encode, RUN_NANOS);
        double seconds = result[2] / 1e9;
        System.out.printf(Locale.ROOT, "throughput %-6s %-20s %,10.0f texts/s %,12.0f tokens/s%n",
                who, corpus.name, result[0] / seconds, result[1] / seconds);
    }

    /** Texts encoded, tokens produced, nanoseconds spent. */
    private static long[] run(List<String> texts, ToIntFunction<String> encode, long nanos) {
        long count = 0;
        long tokens = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            for (String text : texts) {
                tokens += encode.applyAsInt(text);
            }
            count += texts.size();
            elapsed = System.nanoTime() - start;
        } while (elapsed < nanos);
        return new long[] {count, tokens, elapsed};
    }
}
