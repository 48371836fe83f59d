// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.Fidelity;
import dev.lacuna.eval.Stsb;
import dev.lacuna.eval.StsbEvaluator;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.EmbeddedText;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.prune.Recipe;
import dev.lacuna.sparsify.CalibrationText;
import dev.lacuna.sparsify.Sparsifier;
import dev.lacuna.tokenizer.Encoding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code lacuna frontier}: the weight-pruning sweep: pruning methods x sparsity x pattern, quality and
 * speed against weight sparsity (dense and random baselines included) as CSV and PNG plots. The
 * sparse-attention frontier ("The Sparse Frontier", Nawrot et al., 2025) is {@code lacuna attention frontier}.
 */
@Command(name = "frontier", mixinStandardHelpOptions = true,
        description = "Weight-pruning sweep: pruning methods x weight sparsity x pattern; write frontier.csv, quality.png, speed.png and "
                + "index.html. For sparse attention methods (The Sparse Frontier) see 'lacuna attention frontier'.")
public final class FrontierCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--methods", defaultValue = "magnitude,random,wanda,sparsegpt", split = ",", paramLabel = "M",
            description = "methods (default: ${DEFAULT-VALUE})")
    List<String> methods;

    @Option(names = "--sparsities", defaultValue = "0.3,0.5,0.7,0.9", split = ",", paramLabel = "S",
            description = "unstructured / block sparsities (default: ${DEFAULT-VALUE})")
    List<Double> sparsities;

    @Option(names = "--patterns", defaultValue = "unstructured,2:4,4:8", split = ",", paramLabel = "P",
            description = "unstructured, N:M or block:RxC; N:M patterns have their own sparsity (default: ${DEFAULT-VALUE})")
    List<String> patterns;

    @Option(names = "--stsb", paramLabel = "FILE", description = "STS-B CSV: quality is Spearman x100 (else the similarity-matrix correlation to dense)")
    Path stsb;

    @Option(names = "--calib", paramLabel = "FILE", description = "calibration text, one paragraph per line (default: embedded English text)")
    Path calib;

    @Option(names = "--calib-count", defaultValue = "64", paramLabel = "N", description = "calibration paragraphs (default: ${DEFAULT-VALUE})")
    int calibCount;

    @Option(names = "--eval-count", defaultValue = "256", paramLabel = "N", description = "held-out texts for fidelity and speed (default: ${DEFAULT-VALUE})")
    int evalCount;

    @Option(names = "--seconds", defaultValue = "4", paramLabel = "S", description = "seconds of side-by-side speed per point (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    record Point(String method, String pattern, double sparsity, double quality, double cosine, double similarityR, double speedup, String kernels) {}

    @Override
    public Integer call() throws Exception {
        if (methods.isEmpty() || patterns.isEmpty()) throw new LacunaException("--methods and --patterns must not be empty");
        for (double s : sparsities) if (!(s >= 0 && s < 1)) throw new LacunaException("--sparsities: " + s + " is outside [0, 1)");
        overwrite.refuseExisting(out, common.inputs(stsb, calib));
        List<StsbPair> pairs = stsb == null ? null : Stsb.read(stsb);
        LoadedModel lm = common.load();
        SentenceEncoder dense = lm.encoder();
        var tok = dense.tokenizer();
        List<int[]> calibIds = CalibrationText.tokenize(tok, calib != null ? CalibrationText.fromFile(calib, calibCount)
                : CalibrationText.embedded(tok, 0, calibCount, 128), 128);
        List<String> evalTexts = EmbeddedText.englishSentences(4_000, evalCount);
        List<Encoding> evalEnc = dense.tokenize(evalTexts);
        List<Point> points = new ArrayList<>();
        try (Parallel par = new Parallel(common.threads()); AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite)) {
            float[][] denseVec = dense.embedEncodings(par, evalEnc, batch, null);
            double denseQuality = pairs == null ? 1.0 : StsbEvaluator.spearman(pairs, dense.embedder(par, batch));
            int typical = (int) Math.round(batch * evalEnc.stream().mapToInt(Encoding::length).average().orElse(16));
            for (String pattern : patterns) {
                boolean nm = pattern.matches("\\d+:\\d+");
                List<Double> ss = nm ? List.of(1 - Double.parseDouble(pattern.split(":")[0]) / Double.parseDouble(pattern.split(":")[1])) : sparsities;
                for (String method : methods) {
                    for (double s : ss) {
                        String yaml = String.format(Locale.ROOT, "name: %s-%s-%.2f%nmodifiers:%n  - prune: {method: %s, sparsity: %s, pattern: \"%s\", seed: 0}%n",
                                method, pattern.replace(":", "of"), s, method, s, pattern);
                        Recipe r = Recipe.parse(yaml);
                        System.err.printf(Locale.ROOT, "lacuna: frontier point %s %s %.2f%n", method, pattern, s);
                        Sparsifier.Sparse sp = Sparsifier.sparsify(dense.model(), r, calibIds, par, typical, false);
                        SentenceEncoder se = dense.withModel(sp.model());
                        Fidelity f = Fidelity.of(denseVec, se.embedEncodings(par, evalEnc, batch, null));
                        double q = pairs == null ? f.similarityR() : StsbEvaluator.spearman(pairs, se.embedder(par, batch));
                        List<EncoderBenchmark.EngineResult> speed = new EncoderBenchmark(evalEnc, batch).run(List.of(
                                EncoderBenchmark.lacuna("sparse", se, par), EncoderBenchmark.lacuna("dense", dense, par)), seconds, 0.5);
                        Map<String, Integer> kc = new LinkedHashMap<>();
                        sp.kernels().values().forEach(k -> kc.merge(k, 1, Integer::sum));
                        points.add(new Point(method, pattern, sp.prune().sparsity(), q, f.meanCosine(), f.similarityR(),
                                speed.get(0).sentencesPerSecond() / speed.get(1).sentencesPerSecond(), kc.toString().replace(",", ";")));
                    }
                }
            }
            StringBuilder csv = new StringBuilder("method,pattern,sparsity,quality,fidelity_cosine,similarity_r,speedup_vs_dense,kernels\n");
            csv.append(String.format(Locale.ROOT, "dense,dense,0,%.4f,1,1,1,dense%n", denseQuality));
            for (Point p : points) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%.4f,%.4f,%.5f,%.5f,%.4f,%s%n", p.method(), p.pattern(), p.sparsity(), p.quality(),
                        p.cosine(), p.similarityR(), p.speedup(), p.kernels()));
            }
            Files.writeString(dir.dir().resolve("frontier.csv"), csv);
            String qLabel = pairs == null ? "similarity-matrix r to dense" : "STS-B Spearman x100";
            Chart quality = new Chart("Quality vs sparsity", "sparsity", qLabel).hline("dense", denseQuality);
            Chart speed = new Chart("Speed vs sparsity (Lacuna sparse / Lacuna dense)", "sparsity", "speedup").hline("dense", 1.0);
            for (String pattern : patterns) {
                for (String method : methods) {
                    List<Point> ps = points.stream().filter(p -> p.method().equals(method) && p.pattern().equals(pattern)).toList();
                    if (ps.isEmpty()) continue;
                    double[] x = ps.stream().mapToDouble(Point::sparsity).toArray();
                    quality.add(new Series(method + " " + pattern, x, ps.stream().mapToDouble(Point::quality).toArray(), true));
                    speed.add(new Series(method + " " + pattern, x, ps.stream().mapToDouble(Point::speedup).toArray(), true));
                }
            }
            Files.write(dir.dir().resolve("quality.png"), quality.png());
            Files.write(dir.dir().resolve("speed.png"), speed.png());
            Files.writeString(dir.dir().resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lacuna sparse frontier</title></head><body>"
                    + "<h1>Sparse frontier: " + lm.name() + "</h1><p>Quality: " + qLabel + ". Speed: sparse kernels chosen by the cost model, "
                    + "side by side with the dense model, batch " + batch + ", " + par.threads() + " threads.</p>"
                    + "<img src=\"quality.png\"><img src=\"speed.png\"><p><a href=\"frontier.csv\">frontier.csv</a></p></body></html>\n");
            dir.commit();
        }
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"points\":%d}", out, points.size()));
        return 0;
    }
}
