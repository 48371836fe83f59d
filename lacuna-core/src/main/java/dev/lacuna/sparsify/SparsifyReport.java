// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.eval.Fidelity;
import dev.lacuna.finetune.Distiller;
import dev.lacuna.finetune.TrainingLog;
import dev.lacuna.prune.LayerReport;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code lacuna sparsify} measured.
 *
 * @param kernels        chosen kernel per projection
 * @param stsbDense      STS-B Spearman x100 of the dense model, or null without --stsb
 * @param stsbSparse     same for the sparse model
 * @param speed          side-by-side throughput: sparse Lacuna first, then dense Lacuna and the peers
 */
public record SparsifyReport(String out, String model, String recipeName, String recipeYaml, double sparsity,
                             List<LayerReport> layers, Map<String, String> kernels, Fidelity fidelity, int evalTexts,
                             Double stsbDense, Double stsbSparse, List<EncoderBenchmark.EngineResult> speed,
                             int batch, int threads, int calibrationSequences, long calibrationTokens, double pruneSeconds,
                             Training training) {
    /**
     * The distill step's run: steps taken of those planned, seconds and tokens/s of the loop, the log.
     */
    public record Training(long steps, long plannedSteps, double seconds, double tokensPerSecond, TrainingLog log) {
        static Training of(Distiller.Result r) {
            return new Training(r.steps(), r.plannedSteps(), r.trainSeconds(), r.tokensPerSecond(), r.log());
        }
    }

    /** Sentences/s of the engine named {@code name}, or NaN. */
    public double speedOf(String name) {
        for (EncoderBenchmark.EngineResult r : speed) if (r.name().equals(name)) return r.sentencesPerSecond();
        return Double.NaN;
    }

    public double ratio(String peer) {
        return speedOf("lacuna-sparse") / speedOf(peer);
    }
}
