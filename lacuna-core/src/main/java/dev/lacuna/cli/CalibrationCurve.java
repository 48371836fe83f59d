// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.calibrate.AttentionCalibrator.CurvePoint;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The sparsity / quality curve of an attention calibration, beside the plan: {@code PLAN.curve.csv}
 * (one row per recall target and dense-layer count tried) and {@code PLAN.curve.png} (held-out
 * embedding cosine against attention sparsity, with the cosine target as a line).
 */
final class CalibrationCurve {
    private CalibrationCurve() {}

    static void write(List<CurvePoint> curve, double cosineTarget, Path plan) {
        String base = plan.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path dir = plan.toAbsolutePath().getParent();
        try (AtomicOutput out = AtomicOutput.open(dir.resolve(base + ".curve.csv"))) {
            Writer w = out.writer();
            w.write("recall_target,dense_layers,sparsity,mass_recall,cosine\n");
            for (CurvePoint p : curve) {
                w.write(String.format(Locale.ROOT, "%.2f,%d,%.5f,%.5f,%.6f%n", p.recallTarget(), p.denseLayers(), p.sparsity(), p.recall(), p.cosine()));
            }
            out.commit();
        } catch (IOException e) {
            throw new LacunaException(dir.resolve(base + ".curve.csv") + ": cannot write (" + e.getMessage() + ")");
        }
        double[] x = curve.stream().mapToDouble(CurvePoint::sparsity).toArray();
        double[] y = curve.stream().mapToDouble(CurvePoint::cosine).toArray();
        byte[] png = new Chart("Attention plan: quality vs sparsity (held-out windows)", "attention sparsity (pairs skipped)",
                "mean cosine to dense embeddings").add(new Series("calibrated plans", x, y, false)).hline("target", cosineTarget).png();
        Path target = dir.resolve(base + ".curve.png");
        AtomicOutput.writeBytes(target, png);
    }
}
