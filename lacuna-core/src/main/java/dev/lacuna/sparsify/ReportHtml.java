// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparsify;

import dev.lacuna.bench.EncoderBenchmark;
import dev.lacuna.finetune.TrainingLog;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.prune.LayerReport;

import java.util.List;
import java.util.Locale;

/** The self-contained {@code report.html} of a sparsify run: summary, quality, speed, per-layer table and charts. */
public final class ReportHtml {
    private ReportHtml() {}

    public static String render(SparsifyReport r) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Lacuna sparsify: ").append(esc(r.recipeName()))
                .append("</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                        + "th{background:#f3f3f3}td.l,th.l{text-align:left}pre{background:#f7f7f7;padding:1em}img{max-width:100%}</style></head><body>");
        h.append("<h1>Lacuna sparsify report</h1>");
        h.append(String.format(Locale.ROOT, "<p>Model <b>%s</b>, recipe <b>%s</b>, overall sparsity of pruned projections <b>%.1f%%</b>. "
                        + "Calibration: %d sequences, %d tokens; pruning took %.1f s. Threads %d, batch %d.</p>",
                esc(r.model()), esc(r.recipeName()), 100 * r.sparsity(), r.calibrationSequences(), r.calibrationTokens(), r.pruneSeconds(),
                r.threads(), r.batch()));
        h.append("<h2>Quality</h2><table><tr><th class=l>metric</th><th>value</th></tr>");
        row(h, "mean cosine, sparse vs dense embeddings (" + r.evalTexts() + " held-out texts)", f4(r.fidelity().meanCosine()));
        row(h, "worst cosine", f4(r.fidelity().minCosine()));
        row(h, "similarity-matrix correlation (Pearson r of pairwise cosines)", f4(r.fidelity().similarityR()));
        if (r.stsbDense() != null) {
            row(h, "STS-B Spearman x100, dense", f2(r.stsbDense()));
            row(h, "STS-B Spearman x100, sparse", f2(r.stsbSparse()));
        }
        h.append("</table>");
        h.append("<h2>Speed (side by side, one process)</h2><table><tr><th class=l>engine</th><th>sentences/s</th><th>median batch ms</th><th>sparse / engine</th></tr>");
        for (EncoderBenchmark.EngineResult e : r.speed()) {
            h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%.1f</td><td>%.2f</td><td>%.3f</td></tr>", esc(e.name()),
                    e.sentencesPerSecond(), e.medianBatchMs(), r.speedOf("lacuna-sparse") / e.sentencesPerSecond()));
        }
        h.append("</table>");
        List<EncoderBenchmark.EngineResult> sp = r.speed();
        double[] xs = new double[sp.size()], ys = new double[sp.size()];
        String[] names = new String[sp.size()];
        for (int i = 0; i < sp.size(); i++) {
            xs[i] = i;
            ys[i] = sp.get(i).sentencesPerSecond();
            names[i] = sp.get(i).name();
        }
        h.append(new Chart("Throughput", "", "sentences / s").add(new Series("sentences/s", xs, ys, false)).bars(names).size(800, 420).imgTag());

        if (r.training() != null) training(h, r.training());

        List<LayerReport> ls = r.layers();
        double[] li = new double[ls.size()], sv = new double[ls.size()], ev = new double[ls.size()];
        String[] ln = new String[ls.size()];
        for (int i = 0; i < ls.size(); i++) {
            li[i] = i;
            sv[i] = 100 * ls.get(i).sparsity();
            ev[i] = ls.get(i).error();
            ln[i] = shortName(ls.get(i).name());
        }
        h.append("<h2>Layers</h2>");
        h.append(new Chart("Sparsity per projection", "", "sparsity %").add(new Series("sparsity", li, sv, false)).bars(ln).size(1000, 460).imgTag());
        h.append("<table><tr><th class=l>projection</th><th>shape</th><th class=l>method</th><th class=l>pattern</th><th>target</th>"
                + "<th>sparsity</th><th>rel. reconstruction error</th><th class=l>kernel</th></tr>");
        for (LayerReport l : ls) {
            h.append(String.format(Locale.ROOT, "<tr><td class=l>%s</td><td>%dx%d</td><td class=l>%s</td><td class=l>%s</td><td>%.3f</td><td>%.4f</td><td>%s</td><td class=l>%s</td></tr>",
                    esc(l.name()), l.rows(), l.cols(), esc(l.method()), esc(l.pattern()), l.targetSparsity(), l.sparsity(),
                    Double.isNaN(l.error()) ? "&ndash;" : String.format(Locale.ROOT, "%.4g", l.error()), esc(r.kernels().getOrDefault(l.name(), "?"))));
        }
        h.append("</table><h2>Recipe</h2><pre>").append(esc(r.recipeYaml())).append("</pre>");
        h.append("<p>Written by Lacuna. Speed ratios are measured side by side in one process on the same batches; "
                + "ONNX Runtime runs the dense base model.</p></body></html>\n");
        return h.toString();
    }

    /** The distill step: what ran, the loss curve (a 1%-of-steps moving mean over the raw loss) and quality against steps. */
    private static void training(StringBuilder h, SparsifyReport.Training t) {
        List<TrainingLog.Step> steps = t.log().steps();
        h.append("<h2>Distillation</h2>");
        h.append(String.format(Locale.ROOT, "<p>%d of %d planned steps in %.1f s, %.0f tokens/s (teacher forward, student forward and backward, update).</p>",
                t.steps(), t.plannedSteps(), t.seconds(), t.tokensPerSecond()));
        if (!steps.isEmpty()) {
            int n = steps.size(), win = Math.max(1, n / 100);
            double[] x = new double[n], y = new double[n], ym = new double[n];
            double run = 0;
            for (int i = 0; i < n; i++) {
                x[i] = steps.get(i).step();
                y[i] = steps.get(i).loss();
                run += y[i];
                if (i >= win) run -= y[i - win];
                ym[i] = run / Math.min(i + 1, win);
            }
            h.append(new Chart("Training loss", "step", "loss").add(new Series("loss", x, y, false))
                    .add(new Series("moving mean", x, ym, true)).size(1000, 420).imgTag());
        }
        List<TrainingLog.Eval> evals = t.log().evals();
        if (!evals.isEmpty()) {
            h.append("<table><tr><th>step</th>");
            List<String> metrics = List.copyOf(evals.get(0).metrics().keySet());
            for (String k : metrics) h.append("<th>").append(esc(k)).append("</th>");
            h.append("</tr>");
            for (TrainingLog.Eval e : evals) {
                h.append("<tr><td>").append(e.step()).append("</td>");
                for (String k : metrics) h.append("<td>").append(f4(e.metrics().getOrDefault(k, Double.NaN))).append("</td>");
                h.append("</tr>");
            }
            h.append("</table>");
            for (String k : metrics) {
                double[] x = new double[evals.size()], y = new double[evals.size()];
                for (int i = 0; i < evals.size(); i++) {
                    x[i] = evals.get(i).step();
                    y[i] = evals.get(i).metrics().getOrDefault(k, Double.NaN);
                }
                h.append(new Chart(k + " against training steps", "step", k).add(new Series(k, x, y, true)).size(800, 360).imgTag());
            }
        }
    }

    static String shortName(String n) {
        return n.replace("encoder.layer.", "L").replace("attention.self.", "").replace("attention.output.dense", "attn_out")
                .replace("intermediate.dense", "ffn_in").replace("output.dense", "ffn_out");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><td class=l>").append(esc(k)).append("</td><td>").append(v).append("</td></tr>");
    }

    private static String f4(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
