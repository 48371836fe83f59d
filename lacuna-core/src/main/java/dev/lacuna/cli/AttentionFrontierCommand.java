// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionMethods;
import dev.lacuna.attention.calibrate.AttentionBenchmark;
import dev.lacuna.attention.calibrate.AttentionFrontier;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.sparsify.CalibrationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lacuna attention frontier}: the sparse-attention frontier after "The Sparse Frontier"
 * (Nawrot et al., 2025): methods x target sparsity x length, quality against sparsity and against
 * attention FLOPs (isoFLOPS). Not {@code lacuna frontier}, which sweeps weight pruning.
 */
@Command(name = "frontier", mixinStandardHelpOptions = true,
        description = {"Sweep sparse attention methods x target sparsity x length on held-out real text (uniform plans, every head the same "
                + "method, budget set from the sparsity); write frontier.csv, quality.png, isoflops.png and index.html. "
                + "For weight pruning see 'lacuna frontier'. Last stdout line is JSON."})
public final class AttentionFrontierCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--methods", defaultValue = "topk,block-topk,vertical-slash", split = ",", paramLabel = "M",
            description = "methods with a budget knob: topk, block-topk, vertical-slash, indexer (default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--sparsity", defaultValue = "0.5,0.75,0.875,0.9375", split = ",", paramLabel = "S",
            description = "target attention sparsities, each in (0, 1) (default: ${DEFAULT-VALUE})")
    List<Double> sparsities;

    @Option(names = "--lengths", defaultValue = "128,256,512", split = ",", paramLabel = "N",
            description = "tokens per window, each in [8, 4096] (default: ${DEFAULT-VALUE})")
    List<Integer> lengths;

    @Option(names = "--windows", defaultValue = "16", paramLabel = "W", description = "held-out windows per point (default: ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--skip", defaultValue = "16", paramLabel = "S", description = "windows skipped first (default: ${DEFAULT-VALUE})")
    int skip;

    @Option(names = "--text", paramLabel = "FILE", description = "text, one paragraph per line (default: WikiText-2 valid from ../shared/data if present, else embedded English text)")
    Path text;

    @Option(names = "--synthetic-lengths", split = ",", paramLabel = "N",
            description = "also run synthetic q/k/v (12 heads x 32 dims) at these lengths, each in [64, 65536]: mass recall and error vs dense (default: none)")
    List<Integer> syntheticLengths = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    @Override
    public Integer call() throws Exception {
        if (common.attention != null) throw new LacunaException("attention frontier builds its own uniform plans; --attention is not used");
        if (methods.isEmpty()) throw new LacunaException("--methods must not be empty");
        List<String> swept = new ArrayList<>(), notes = new ArrayList<>();
        for (String m : methods) {
            if (AttentionMethods.find(m) == null) {
                throw new LacunaException("unknown attention method '" + m + "' (with a budget knob: " + String.join(", ", AttentionFrontier.METHODS) + ")");
            }
            String why = AttentionFrontier.unsupported(m);
            if (why != null) notes.add(m + ": " + why);
            else if (!swept.contains(m)) swept.add(m);
        }
        if (swept.isEmpty()) {
            throw new LacunaException("none of --methods has a budget knob (" + String.join("; ", notes) + "); use "
                    + String.join(", ", AttentionFrontier.METHODS));
        }
        for (double s : sparsities) if (!(s > 0 && s < 1)) throw new LacunaException("--sparsity: " + s + " is outside (0, 1)");
        for (int n : lengths) if (n < 8 || n > 4096) throw new LacunaException("--lengths: " + n + " is outside [8, 4096]");
        for (int n : syntheticLengths) if (n < 64 || n > 65536) throw new LacunaException("--synthetic-lengths: " + n + " is outside [64, 65536]");
        if (windows < 1) throw new LacunaException("--windows must be >= 1, got " + windows);
        if (skip < 0) throw new LacunaException("--skip must be >= 0, got " + skip);
        overwrite.refuseExisting(out, common.inputs(text));
        for (String n : notes) System.err.println("lacuna: attention frontier: skipping " + n);
        LoadedModel lm = ModelLoader.load(common.model);
        List<String> lines = text != null ? CalibrationText.fromFile(text, 1_000_000) : AttentionBenchmark.calibrationText();
        int threads = common.threads();
        List<AttentionFrontier.Point> points;
        List<AttentionFrontier.SyntheticPoint> synth;
        try (AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite)) {
            points = AttentionFrontier.sweep(lm.encoder(), swept, sparsities, lengths, lines, skip, windows, threads, msg -> System.err.println("lacuna: " + msg));
            synth = AttentionFrontier.synthetic(swept, sparsities, syntheticLengths, threads, msg -> System.err.println("lacuna: " + msg));
            Files.writeString(dir.dir().resolve("frontier.csv"), AttentionFrontier.csv(points));
            if (!synth.isEmpty()) Files.writeString(dir.dir().resolve("synthetic.csv"), AttentionFrontier.syntheticCsv(synth));
            Chart quality = new Chart("Quality vs attention sparsity (uniform plans)", "measured attention sparsity", "mean cosine to dense").hline("dense", 1.0);
            Chart iso = new Chart("IsoFLOPS: quality vs attention FLOPs per token", "attention MFLOPs per token (incl. selection)", "mean cosine to dense");
            for (int n : lengths) {
                for (String m : swept) {
                    List<AttentionFrontier.Point> ps = points.stream().filter(p -> p.length() == n && p.method().equals(m)).toList();
                    double[] cos = ps.stream().mapToDouble(AttentionFrontier.Point::meanCosine).toArray();
                    quality.add(new Series(m + " N=" + n, ps.stream().mapToDouble(AttentionFrontier.Point::measuredSparsity).toArray(), cos, true));
                    iso.add(new Series(m + " N=" + n, ps.stream().mapToDouble(p -> p.flops() / 1e6).toArray(), cos, true));
                }
            }
            Files.write(dir.dir().resolve("quality.png"), quality.png());
            Files.write(dir.dir().resolve("isoflops.png"), iso.png());
            Files.writeString(dir.dir().resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lacuna sparse attention frontier</title></head><body>"
                    + "<h1>Sparse attention frontier: " + lm.name() + "</h1><p>Uniform plans (every layer and head the same method, budget from the "
                    + "target sparsity), " + windows + " held-out windows per point. Quality: mean cosine of pooled embeddings to dense. "
                    + "FLOPs: attention only, 4·head_dim per attended pair (QKᵀ and PV) plus the method's selection overhead (its cost model).</p>"
                    + "<img src=\"quality.png\"><img src=\"isoflops.png\"><p><a href=\"frontier.csv\">frontier.csv</a>"
                    + (synth.isEmpty() ? "" : " <a href=\"synthetic.csv\">synthetic.csv</a>") + "</p></body></html>\n");
            dir.commit();
        }
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"points\":%d,\"synthetic_points\":%d}", out, points.size(), synth.size()));
        return 0;
    }
}
