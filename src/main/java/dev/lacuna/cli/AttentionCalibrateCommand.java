package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionBenchmark;
import dev.lacuna.attention.AttentionCalibrator;
import dev.lacuna.attention.PlanFile;
import dev.lacuna.model.LoadedModel;
import dev.lacuna.model.ModelLoader;
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

    @Option(names = "--recall", defaultValue = "0.95", paramLabel = "R", description = "attention-mass recall each sparse head must reach (default: ${DEFAULT-VALUE})")
    double recall;

    @Option(names = "--out", required = true, paramLabel = "PLAN.yaml", description = "plan file (written atomically)")
    Path out;

    @Override
    public Integer call() {
        if (!(recall > 0 && recall <= 1)) throw new LacunaException("--recall must be in (0, 1], got " + recall);
        LoadedModel lm = ModelLoader.load(common.model);
        List<String> text = calib != null ? CalibrationText.fromFile(calib, 100_000) : AttentionBenchmark.calibrationText();
        AttentionCalibrator.Options d = AttentionCalibrator.Options.defaults();
        AttentionCalibrator.Options o = new AttentionCalibrator.Options(windows, length, recall, Math.max(recall, d.sensitiveTarget()),
                d.sensitiveScore(), d.denseLayers(), d.cosineTarget(), d.skipShare(), common.threads(), d.seed());
        AttentionCalibrator.Result r = AttentionCalibrator.calibrate(lm.encoder(), lm.name(), text, calib == null ? "default" : calib.toString(), o);
        PlanFile.write(r.plan(), out);
        double sparsity = measuredSparsity(lm, r.plan(), text, o);
        double rec = 0;
        int heads = r.plan().layers() * r.plan().heads();
        for (int l = 0; l < r.plan().layers(); l++) {
            for (int h = 0; h < r.plan().heads(); h++) {
                var e = r.plan().entry(l, h);
                rec += e == null || Double.isNaN(e.recall()) ? 1.0 : e.recall();
            }
        }
        rec /= heads;
        System.err.printf(Locale.ROOT, "lacuna: plan %s: %s; dense first layers %d; embedding cosine to dense %.4f%n", out, r.plan().methodCounts(),
                r.denseLayers(), r.cosine());
        System.out.println(String.format(Locale.ROOT, "{\"plan\":\"%s\",\"length\":%d,\"sparsity\":%.4f,\"mass_recall\":%.4f}", out, length, sparsity, rec));
        return 0;
    }

    /** Fraction of (query, key) pairs the plan skips on the calibration windows, over all layers and heads. */
    static double measuredSparsity(LoadedModel lm, dev.lacuna.attention.SparsePlan plan, List<String> text, AttentionCalibrator.Options o) {
        var model = lm.encoder().model();
        var windows = dev.lacuna.attention.AttentionCapture.windows(lm.encoder().tokenizer(), text, o.windowTokens(), o.windows());
        int d = model.config().headDim(), c = model.config().hiddenSize();
        float scale = (float) (1 / Math.sqrt(d));
        long kept = 0, total = 0;
        try (dev.lacuna.kernel.Parallel par = new dev.lacuna.kernel.Parallel(o.threads())) {
            var cap = dev.lacuna.attention.AttentionCapture.capture(model, par, windows, model.layerCount() - 1);
            int[] starts = cap.seqStarts();
            for (int l = 0; l < model.layerCount(); l++) {
                float[] out = new float[cap.q()[l].length];
                for (int h = 0; h < model.config().numAttentionHeads(); h++) {
                    var kern = plan.kernel(l, h);
                    for (int x = 0; x + 1 < starts.length; x++) {
                        int n = starts[x + 1] - starts[x];
                        float[] scratch = new float[Math.max(1, kern.scratchSize(n, d))];
                        kept += kern.attendRows(cap.q()[l], cap.k()[l], cap.v()[l], out, c, starts[x], n, h * d, d, scale, scratch, 0, n, null);
                        total += (long) n * n;
                    }
                }
            }
        }
        return total == 0 ? 0 : 1 - (double) kept / total;
    }
}
