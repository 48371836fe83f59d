// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.eval.Fidelity;
import dev.lacuna.eval.StsbEvaluator;
import dev.lacuna.eval.StsbPair;
import dev.lacuna.finetune.Distiller;
import dev.lacuna.io.Progress;
import dev.lacuna.kernel.Linear;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.model.Pooling;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.peer.OrtPeer;
import dev.lacuna.prune.OneShotPruner;
import dev.lacuna.prune.PruneResult;
import dev.lacuna.prune.Recipe;
import dev.lacuna.sparse.SparseKernels;
import dev.lacuna.tokenizer.Encoding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The main job as a library call: prune a model with a recipe, turn each pruned projection into the
 * fastest kernel for it (or into int8 where the recipe ends with a quantize step), and measure quality and speed against the dense model and ONNX Runtime.
 */
public final class Sparsifier {
    /** Options of one run. */
    public record Options(int batch, double seconds, double warmup, boolean timedKernelChoice, boolean peers) {}

    /** A pruned model with its kernels chosen, plus the pruning result and the distill step's result (or null). */
    public record Sparse(BertModel model, PruneResult prune, Map<String, String> kernels, double pruneSeconds, Distiller.Result training) {}

    /**
     * What a recipe's distill step needs besides the recipe.
     *
     * @param pooling the encoder's pooling
     * @param texts   token ids of the training sequences ({@code TrainingText}), at most max_tokens each
     * @param eval    quality of a student at the evaluation points, or null
     * @param pairs   scored pairs for a {@code cosent} loss, or null
     */
    public record DistillSetup(Pooling pooling, List<int[]> texts, Distiller.Options options, Function<BertModel, Map<String, Double>> eval,
                               dev.lacuna.finetune.ScoredPairs pairs) {}

    private Sparsifier() {}

    /** Prunes and chooses kernels for a typical batch of {@code typicalTokens} tokens. */
    public static Sparse sparsify(BertModel dense, Recipe recipe, List<int[]> calibration, Parallel par, int typicalTokens,
                                  boolean timedKernelChoice) {
        return sparsify(dense, recipe, calibration, par, typicalTokens, timedKernelChoice, null);
    }

    /** Prunes, runs the recipe's distill step when it has one (then {@code distill} is required), and chooses kernels. */
    public static Sparse sparsify(BertModel dense, Recipe recipe, List<int[]> calibration, Parallel par, int typicalTokens,
                                  boolean timedKernelChoice, DistillSetup distill) {
        if (recipe.distill() != null && distill == null) throw new IllegalArgumentException("recipe " + recipe.name() + " has a distill step: give its setup");
        long t0 = System.nanoTime();
        PruneResult pr;
        try (Progress p = new Progress("prune", OneShotPruner.progressTotal(dense, recipe, calibration), true)) {
            pr = OneShotPruner.prune(dense, recipe, calibration, par, p);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        BertModel pruned = pr.model();
        Distiller.Result training = null;
        if (recipe.distill() != null) {
            Distiller d = new Distiller(dense, distill.pooling(), pruned, pr.masks(), recipe.distill(), recipe.gradual(), recipe.srstePattern(),
                    distill.texts(), distill.pairs());
            training = d.run(par, distill.options(), distill.eval());
            pruned = training.model().withAttention(pruned.attention());
            if (recipe.gradual() != null) pr = withGradualMasks(pr, pruned, training.masks(), recipe);
            else if (recipe.srstePattern() != null) {       // SR-STE moved the masks within the pattern
                pr = new PruneResult(pruned, pr.layers(), training.masks(), recipe, pr.calibrationSequences(), pr.calibrationTokens());
            }
        }
        Map<String, Linear> chosen = new LinkedHashMap<>();
        Map<String, String> kernels = new LinkedHashMap<>();
        try (Progress p = new Progress("choose kernels", pr.masks().size(), true)) {
            for (String name : pr.masks().keySet()) {
                Linear l = pruned.linears().get(name);
                Linear k = timedKernelChoice ? SparseKernels.choose(l.weight(), l.bias(), typicalTokens, par)
                        : SparseKernels.chooseByCostModel(l.weight(), l.bias(), typicalTokens);
                chosen.put(name, k);
                kernels.put(name, k.kernel());
                p.advance(1);
            }
        }
        BertModel model = pruned.withLinears(chosen);
        if (recipe.quantize() != null) {
            // after the kernel choice: the quantized projections are int8 whatever their sparsity
            model = recipe.quantize().apply(model);
            kernels.clear();
        }
        for (Map.Entry<String, Linear> e : model.linears().entrySet()) kernels.putIfAbsent(e.getKey(), e.getValue().kernel());
        return new Sparse(model, pr, kernels, secs, training);
    }

    /** The pruning result after gradual pruning: the trained model, its final masks, a report line per gradual target. */
    private static PruneResult withGradualMasks(PruneResult pr, BertModel model, Map<String, dev.lacuna.prune.Mask> masks, Recipe recipe) {
        List<dev.lacuna.prune.LayerReport> layers = new ArrayList<>(pr.layers());
        int step = recipe.modifiers().size() + 1;
        for (String name : recipe.gradual().resolve(model.linears().keySet())) {
            dev.lacuna.prune.Mask m = masks.get(name);
            layers.add(new dev.lacuna.prune.LayerReport(step, name, m.rows(), m.cols(), "gradual-magnitude", "unstructured",
                    recipe.gradual().sparsity(), m.sparsity(), Double.NaN));
        }
        return new PruneResult(model, layers, masks, recipe, pr.calibrationSequences(), pr.calibrationTokens());
    }

    /** Quality of {@code sparse} against {@code dense} on held-out texts and (optionally) STS-B, and speed side by side. */
    public static SparsifyReport evaluate(String out, LoadedModel base, Sparse sparse, Recipe recipe, List<String> evalTexts,
                                          List<StsbPair> stsb, Parallel par, Options opt) {
        SentenceEncoder denseEnc = base.encoder();
        SentenceEncoder sparseEnc = denseEnc.withModel(sparse.model());
        List<Encoding> enc = denseEnc.tokenize(evalTexts);
        float[][] a = denseEnc.embedEncodings(par, enc, opt.batch(), null);
        float[][] b = sparseEnc.embedEncodings(par, enc, opt.batch(), null);
        Fidelity f = Fidelity.of(a, b);
        Double sd = null, ss = null;
        if (stsb != null) {
            sd = StsbEvaluator.spearman(stsb, denseEnc.embedder(par, opt.batch()));
            ss = StsbEvaluator.spearman(stsb, sparseEnc.embedder(par, opt.batch()));
        }
        List<EncoderBenchmark.EngineResult> speed;
        List<OrtPeer> peers = new ArrayList<>();
        try {
            List<EncoderBenchmark.Engine> engines = new ArrayList<>();
            engines.add(EncoderBenchmark.lacuna("lacuna-sparse", sparseEnc, par));
            engines.add(EncoderBenchmark.lacuna("lacuna-dense", denseEnc, par));
            if (opt.peers()) {
                for (String p : List.of("onnxruntime", "onnxruntime-int8")) {
                    if (base.peerFiles().containsKey(p)) {
                        OrtPeer peer = base.peer(p, par.threads());
                        peers.add(peer);
                        engines.add(EncoderBenchmark.peer(peer, denseEnc));
                    }
                }
            }
            System.err.println("lacuna: measuring throughput side by side (" + engines.size() + " engines, " + opt.seconds() + " s) ...");
            speed = new EncoderBenchmark(enc, opt.batch()).run(engines, opt.seconds(), opt.warmup());
        } finally {
            peers.forEach(OrtPeer::close);
        }
        return new SparsifyReport(out, base.name(), recipe.name(), recipe.toYaml(), sparse.prune().sparsity(), sparse.prune().layers(),
                sparse.kernels(), f, evalTexts.size(), sd, ss, speed, opt.batch(), par.threads(),
                sparse.prune().calibrationSequences(), sparse.prune().calibrationTokens(), sparse.pruneSeconds(),
                sparse.training() == null ? null : SparsifyReport.Training.of(sparse.training()));
    }
}
