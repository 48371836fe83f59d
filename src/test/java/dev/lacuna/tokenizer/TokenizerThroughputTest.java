package dev.lacuna.tokenizer;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Prints tokenizer throughput, ours and Hugging Face's through DJL, one thread. Informational only. */
class TokenizerThroughputTest {
    private static final long RUN_NANOS = 1_000_000_000L;

    @Test
    void printThroughput() {
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
        System.out.printf("throughput %-6s %-20s %,10.0f texts/s %,12.0f tokens/s%n",
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
