// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.Progress;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.sae.ActivationCapture;
import dev.lacuna.sae.ActivationStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna sae capture}: activations of one hook point over text files into an activation store. */
@Command(name = "capture", mixinStandardHelpOptions = true, description = "Capture a hook point's activations over text into a memory-mapped activation store.")
public final class SaeCaptureCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--hook", required = true, paramLabel = "H", description = "hook point, e.g. layer.3.resid_post (see 'lacuna inspect --hooks'), or embedding: the pooled sentence embedding, one row per text")
    String hook;

    @Option(names = "--text", required = true, arity = "1..*", paramLabel = "FILE", description = "text files: one text per line (blank lines skipped), STS-B .csv (distinct sentences), or BEIR .jsonl (title and text per record)")
    List<Path> text;

    @Option(names = "--out", required = true, paramLabel = "STORE", description = "activation store directory to create")
    Path out;

    @Option(names = "--dtype", defaultValue = "float32", paramLabel = "T", description = "float32 or float16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--max-texts", paramLabel = "N", description = "capture at most N texts in all")
    Integer maxTexts;

    @Option(names = "--shard-tokens", defaultValue = "65536", paramLabel = "N", description = "rows per shard file (default: ${DEFAULT-VALUE})")
    int shardTokens;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() {
        ActivationStore.Dtype dt = ActivationStore.Dtype.parse(dtype);
        if (shardTokens < 1) throw new LacunaException("--shard-tokens must be >= 1, got " + shardTokens);
        overwrite.refuseExisting(out, common.inputs(text.toArray(Path[]::new)));
        List<String> texts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path p : text) {
            texts.addAll(ActivationCapture.readTexts(p, line -> System.err.println("lacuna: " + line)));
            sources.add(p.toString());
        }
        if (maxTexts != null) {
            if (maxTexts < 1) throw new LacunaException("--max-texts must be >= 1, got " + maxTexts);
            if (texts.size() > maxTexts) texts = new ArrayList<>(texts.subList(0, maxTexts));
        }
        LoadedModel lm = common.load();
        ActivationCapture.checkHook(hook, lm.encoder().model().layerCount());
        long t0 = System.nanoTime();
        ActivationStore.Info info;
        try (AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite);
             Parallel par = new Parallel(common.threads());
             ActivationStore.Writer w = new ActivationStore.Writer(dir.dir(), common.model, hook, dt, shardTokens, sources);
             Progress prog = Progress.of("capture " + hook, texts.size(), 100)) {
            ActivationCapture.capture(par, lm.encoder(), hook, texts, 2048, w, prog);
            info = w.finish();
            dir.commit();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"model\":\"%s\",\"hook\":\"%s\",\"d_in\":%d,\"dtype\":\"%s\",\"sequences\":%d,\"tokens\":%d,\"seconds\":%.1f}",
                out, info.model(), info.hook(), info.dIn(), info.dtype().label(), info.sequences(), info.tokens(), secs));
        return 0;
    }
}
