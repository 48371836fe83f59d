// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.PlanFile;
import dev.lacuna.attention.calibrate.AttentionBenchmark;
import dev.lacuna.attention.calibrate.AttentionCalibrator;
import dev.lacuna.io.PathChecks;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelFingerprint;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.sparsify.CalibrationText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna attention calibrate}: measure every head on calibration text and write a per-head plan. */
@Command(name = "calibrate", mixinStandardHelpOptions = true, description = "Calibrate a per-head sparse attention plan. Last stdout line is JSON.")
public final class AttentionCalibrateCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--calib", paramLabel = "FILE", description = "calibration text (default: WikiText-2 valid from ../shared/data if present, else embedded English text)")
    Path calib;

    @Option(names = "--length", defaultValue = "256", paramLabel = "N", description = "tokens per calibration window (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--windows", defaultValue = "8", paramLabel = "W", description = "calibration windows (default: ${DEFAULT-VALUE})")
    int windows;

    @Option(names = "--recall", paramLabel = "R", description = "attention-mass recall each sparse head must reach "
            + "(default: the lowest of 0.70 .. 0.99 whose plan keeps the held-out embeddings within --cosine of dense)")
    Double recall;

    @Option(names = "--cosine", defaultValue = "0.99", paramLabel = "C", description = "mean cosine to the dense model's embeddings on "
            + "held-out windows the plan must keep (default: ${DEFAULT-VALUE})")
    double cosine;

    @Option(names = "--cost", defaultValue = "pairs", paramLabel = "C", description = "how candidates are ranked: pairs (attended "
            + "query-key pairs, i.e. attention sparsity), flops (modelled work incl. choosing the keys) or time (CPU time vs dense "
            + "flash on the windows) (default: ${DEFAULT-VALUE})")
    String cost;

    @Option(names = "--allocation", defaultValue = "hess", paramLabel = "A", description = "how heads share the budget: uniform "
            + "(every head the same recall target), hess (the uniform plan's total, reallocated by HeSS head sensitivity x squared "
            + "output error: denser for sensitive heads, sparser for robust ones) or error (the same, every head weighted 1) "
            + "(default: ${DEFAULT-VALUE})")
    String allocation;

    @Option(names = "--dense-layers", defaultValue = "auto", paramLabel = "K", description = "first layers kept dense: a number, "
            + "or auto (the fewest of 0, 1, 2 that keep --cosine) (default: ${DEFAULT-VALUE})")
    String denseLayers;

    @Option(names = "--skip-share", defaultValue = "0.02", paramLabel = "S", description = "heads whose share of their layer's "
            + "attention output is below S are skipped (not computed; 0: none) (default: ${DEFAULT-VALUE})")
    double skipShare;

    @Option(names = "--out", required = true, paramLabel = "PLAN.yaml", description = "plan file (written atomically)")
    Path out;

    @Override
    public Integer call() {
        PathChecks.refuseOutputOverInput(out, common.inputs(calib));
        if (recall != null && !(recall > 0 && recall <= 1)) throw new LacunaException("--recall must be in (0, 1], got " + recall);
        if (!(cosine > 0 && cosine <= 1)) throw new LacunaException("--cosine must be in (0, 1], got " + cosine);
        AttentionCalibrator.Cost costKind = switch (cost) {
            case "pairs" -> AttentionCalibrator.Cost.PAIRS;
            case "flops" -> AttentionCalibrator.Cost.FLOPS;
            case "time" -> AttentionCalibrator.Cost.TIME;
            default -> throw new LacunaException("--cost must be pairs, flops or time, got '" + cost + "'");
        };
        if (length < 8 || length > lengthLimit()) throw new LacunaException("--length must be in [8, " + lengthLimit() + "], got " + length);
        if (windows < 1) throw new LacunaException("--windows must be >= 1, got " + windows);
        AttentionCalibrator.Allocation alloc = switch (allocation) {
            case "uniform" -> AttentionCalibrator.Allocation.UNIFORM;
            case "hess" -> AttentionCalibrator.Allocation.HESS;
            case "error" -> AttentionCalibrator.Allocation.ERROR;
            default -> throw new LacunaException("--allocation must be uniform, hess or error, got '" + allocation + "'");
        };
        int dense;
        if (denseLayers.equals("auto")) {
            dense = -1;
        } else {
            try {
                dense = Integer.parseInt(denseLayers.strip());
            } catch (NumberFormatException e) {
                throw new LacunaException("--dense-layers must be a number >= 0 or auto, got '" + denseLayers + "'");
            }
            if (dense < 0) throw new LacunaException("--dense-layers must be a number >= 0 or auto, got '" + denseLayers + "'");
        }
        if (!(skipShare >= 0 && skipShare < 1)) throw new LacunaException("--skip-share must be in [0, 1), got " + skipShare);
        LoadedModel lm = ModelLoader.load(common.model);
        List<String> text = calib != null ? CalibrationText.fromFile(calib, 100_000) : AttentionBenchmark.calibrationText();
        AttentionCalibrator.Options d = AttentionCalibrator.Options.defaults();
        double target = recall == null ? Double.NaN : recall;
        AttentionCalibrator.Options o = new AttentionCalibrator.Options(windows, length, target, alloc, dense, cosine, skipShare, costKind,
                common.threads(), d.seed());
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(lm.encoder(), lm.name(), text, calib == null ? "default" : calib.toString(), o);
        PlanFile.write(r.plan().withIdentity(ModelFingerprint.of(lm)), out);
        CalibrationCurve.write(r.curve(), cosine, out);
        System.err.println("lacuna: recall target, dense layers, attention sparsity, mass recall, held-out cosine, uniform plan's sparsity:");
        for (AttentionCalibrator.CurvePoint p : r.curve()) {
            System.err.printf(Locale.ROOT, "  %.2f  %d  %.4f  %.4f  %.5f  %.4f%n", p.recallTarget(), p.denseLayers(), p.sparsity(), p.recall(),
                    p.cosine(), p.uniformSparsity());
        }
        System.err.printf(Locale.ROOT, "lacuna: plan %s: %s; dense first layers %d; held-out embedding cosine to dense %.5f%n", out,
                r.plan().methodCounts(), r.denseLayers(), r.cosine());
        System.out.println(String.format(Locale.ROOT, "{\"plan\":\"%s\",\"length\":%d,\"sparsity\":%.4f,\"mass_recall\":%.4f,\"cosine\":%.5f}",
                out, length, r.sparsity(), r.recall(), r.cosine()));
        return 0;
    }

    private static int lengthLimit() {
        return 4096;
    }
}
