// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.Progress;
import dev.lacuna.io.TextLines;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.tokenizer.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lacuna embed}: one JSON line {"embedding":[...]} per input line, in order. */
@Command(name = "embed", mixinStandardHelpOptions = true, description = "Embed UTF-8 text, one text per line, to JSONL.")
public final class EmbedCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--input", paramLabel = "FILE", description = "UTF-8 text, one text per line (default: stdin)")
    Path input;

    @Option(names = "--output", paramLabel = "FILE", description = "JSONL output (default: stdout); written atomically, refused if it exists unless --overwrite")
    Path output;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "sentences per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--max-chars", defaultValue = "50000", paramLabel = "N",
            description = "reject lines longer than this many characters (default: ${DEFAULT-VALUE})")
    int maxChars;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) throw new LacunaException("--batch must be >= 1, got " + batch);
        if (output != null) overwrite.refuseExisting(output, common.inputs(input));
        List<String> texts = TextLines.read(input, maxChars);
        LoadedModel lm = common.load();
        SentenceEncoder enc = lm.encoder();
        List<Encoding> encodings = enc.tokenize(texts);
        long truncated = encodings.stream().filter(Encoding::truncated).count();
        float[][] vecs;
        try (Parallel par = new Parallel(common.threads());
             Progress progress = Progress.of("embed", texts.size(), 300)) {
            vecs = enc.embedEncodings(par, encodings, batch, progress);
        }
        if (truncated > 0) {
            System.err.println("lacuna: " + truncated + " of " + texts.size() + " texts were truncated to "
                    + enc.tokenizer().maxLength() + " tokens");
        }
        if (output == null) {
            PrintStream out = System.out;
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            write(w, vecs);
            w.flush();
        } else {
            try (AtomicOutput ao = AtomicOutput.open(output)) {
                write(ao.writer(), vecs);
                ao.commit();
            }
        }
        return 0;
    }

    static void write(Writer w, float[][] vecs) throws IOException {
        StringBuilder sb = new StringBuilder(8192);
        for (float[] v : vecs) {
            sb.setLength(0);
            sb.append("{\"embedding\":[");
            for (int i = 0; i < v.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(v[i]);
            }
            sb.append("]}\n");
            w.write(sb.toString());
        }
    }
}
