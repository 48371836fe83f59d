// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.Stsb;
import dev.lacuna.io.Progress;
import dev.lacuna.io.TextLines;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import dev.lacuna.retrieval.BeirDocument;
import dev.lacuna.retrieval.BeirReader;
import dev.lacuna.retrieval.OnBadRecord;
import dev.lacuna.tokenizer.Encoding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Streams the activations of one hook point over a text corpus into an {@link ActivationStore}.
 * Each forward pass stops right after the hook fires, so later layers are not computed.
 */
public final class ActivationCapture {
    private ActivationCapture() {}

    /** Thrown by the capture hook to end a forward pass early; carries no stack. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /**
     * Texts of a corpus file: an STS-B CSV ({@code .csv}) gives its distinct sentences; a BEIR JSON-lines
     * file ({@code .jsonl}: corpus.jsonl or queries.jsonl) gives each record's title and text as retrieval
     * encodes them; any other file gives its non-blank lines (WikiText headings included as they come).
     */
    public static List<String> readTexts(Path file) {
        return readTexts(file, null);
    }

    /**
     * As {@link #readTexts(Path)}; with {@code skipped} not null, bad JSON-lines records (malformed,
     * duplicate id, empty title and text) are skipped and reported to it one line each (the retrieval
     * commands' default policy), otherwise the first one is an error.
     */
    public static List<String> readTexts(Path file, java.util.function.Consumer<String> skipped) {
        if (file.toString().endsWith(".csv")) return new ArrayList<>(new LinkedHashSet<>(Stsb.sentences(Stsb.read(file))));
        if (file.toString().endsWith(".jsonl")) {
            List<String> out = new ArrayList<>();
            BeirReader reader = new BeirReader(skipped == null ? OnBadRecord.FAIL : OnBadRecord.SKIP, skipped);
            for (BeirDocument d : reader.readCorpus(file)) out.add(d.fullText());
            return out;
        }
        List<String> out = new ArrayList<>();
        for (String line : TextLines.readFile(file).split("\r?\n")) {
            String t = line.strip();
            if (!t.isEmpty()) out.add(t);
        }
        if (out.isEmpty()) throw new LacunaException(file + ": no text (the file is empty)");
        return out;
    }

    /**
     * Not a hook inside the model: the encoder's output, the pooled and L2-normalised sentence
     * embedding, one row per text (its token id is the text's first token, [CLS]). SAEs on it give
     * sparse, interpretable features of whole sentences (SAE-sparse retrieval).
     */
    public static final String EMBEDDING = "embedding";

    /** Checks that {@code hook} names a hook point of a model with {@code layers} layers. */
    public static void checkHook(String hook, int layers) {
        if (!hook.equals(EMBEDDING) && !Hooks.points(layers).contains(hook)) {
            throw new LacunaException("unknown hook point '" + hook + "' (the model has layers 0-" + (layers - 1) + "; see 'lacuna inspect --hooks')");
        }
    }

    /**
     * Captures {@code hook} over {@code texts} in corpus order (sequence index = text index).
     *
     * @param batchTokens approximate tokens per forward pass
     */
    public static void capture(Parallel par, SentenceEncoder enc, String hook, List<String> texts, int batchTokens,
                               ActivationStore.Writer out, Progress progress) {
        checkHook(hook, enc.model().layerCount());
        Stop stop = new Stop();
        int i = 0;
        while (i < texts.size()) {
            List<int[]> seqs = new ArrayList<>();
            int tokens = 0;
            while (i < texts.size() && (seqs.isEmpty() || tokens < batchTokens)) {
                Encoding e = enc.tokenizer().encode(texts.get(i++));
                seqs.add(e.ids());
                tokens += e.length();
            }
            Batch batch = Batch.of(seqs.toArray(int[][]::new));
            if (hook.equals(EMBEDDING)) {
                float[][] emb = enc.embedBatch(par, batch, Hooks.NONE);
                int[] starts = batch.seqStarts();
                for (int s = 0; s < emb.length; s++) out.append(emb[s], 0, 1, emb[s].length, batch.ids(), starts[s]);
                if (progress != null) progress.advance(seqs.size());
                continue;
            }
            Hooks hooks = new Hooks().add(hook, (p, act, t, width, starts) -> {
                for (int s = 0; s + 1 < starts.length; s++) {
                    out.append(act, starts[s], starts[s + 1] - starts[s], width, batch.ids(), starts[s]);
                }
                throw stop;
            });
            try {
                enc.model().forward(par, batch, hooks);
            } catch (Stop expected) {
                // the hook has the rows; the layers after it are not needed
            }
            if (progress != null) progress.advance(seqs.size());
        }
    }
}
