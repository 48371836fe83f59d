// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.kernel.Linear;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.Hooks;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.tensor.FloatTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lacuna inspect}: architecture, parameters per layer type, memory, and hook points. */
@Command(name = "inspect", mixinStandardHelpOptions = true, description = "Describe a model: architecture, parameters, memory, hooks.")
public final class InspectCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--hooks", description = "list the hook points where activations can be read or replaced")
    boolean hooks;

    @Override
    public Integer call() {
        LoadedModel lm = common.load();
        BertModel m = lm.encoder().model();
        BertConfig c = m.config();
        System.out.printf(Locale.ROOT, "model      %s (%s)%n", lm.name(), lm.source());
        System.out.printf(Locale.ROOT, "arch       BERT encoder: %d layers, hidden %d, %d heads x %d, FFN %d (%s), vocab %d, %d positions, LayerNorm eps %.0e%n",
                c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(), c.headDim(), c.intermediateSize(), c.hiddenAct(),
                c.vocabSize(), c.maxPositionEmbeddings(), c.layerNormEps());
        System.out.printf(Locale.ROOT, "tokenizer  WordPiece, max %d tokens; pooling %s, L2-normalised%n",
                lm.encoder().tokenizer().maxLength(), lm.encoder().pooling().name().toLowerCase(Locale.ROOT));
        Map<String, long[]> byType = new LinkedHashMap<>(); // type -> {params, nonzero}
        for (Map.Entry<String, FloatTensor> e : m.tensors().entrySet()) {
            String type = typeOf(e.getKey());
            long nz = 0;
            for (float v : e.getValue().data()) if (v != 0f) nz++;
            long[] acc = byType.computeIfAbsent(type, k -> new long[2]);
            acc[0] += e.getValue().size();
            acc[1] += nz;
        }
        long total = 0, totalNz = 0;
        System.out.printf(Locale.ROOT, "%n%-28s %12s %12s %9s%n", "parameters", "count", "non-zero", "fp32 MiB");
        for (Map.Entry<String, long[]> e : byType.entrySet()) {
            System.out.printf(Locale.ROOT, "%-28s %12d %12d %9.2f%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[0] * 4 / 1048576.0);
            total += e.getValue()[0];
            totalNz += e.getValue()[1];
        }
        System.out.printf(Locale.ROOT, "%-28s %12d %12d %9.2f%n", "total", total, totalNz, total * 4 / 1048576.0);
        System.out.println();
        System.out.println("layer kernels:");
        for (Map.Entry<String, Linear> e : m.linears().entrySet()) {
            Linear l = e.getValue();
            System.out.printf(Locale.ROOT, "  %-42s %5d x %-5d %s%n", e.getKey(), l.outFeatures(), l.inFeatures(), l.kernel());
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "%nmemory     JVM heap in use %.1f MiB (max %.0f MiB)%n",
                (rt.totalMemory() - rt.freeMemory()) / 1048576.0, rt.maxMemory() / 1048576.0);
        if (hooks) {
            System.out.println();
            System.out.println("hook points (read or replace activations [tokens, width]):");
            for (String h : Hooks.points(c.numHiddenLayers())) {
                String kind = h.substring(h.lastIndexOf('.') + 1);
                int width = kind.equals("mlp_act") ? c.intermediateSize() : c.hiddenSize();
                System.out.printf(Locale.ROOT, "  %-24s [tokens, %d]%n", h, width);
            }
        }
        return 0;
    }

    private static String typeOf(String name) {
        if (name.startsWith("embeddings.")) return name.contains("LayerNorm") ? "embedding layernorm" : "embeddings";
        if (name.contains("LayerNorm")) return "layernorm";
        if (name.contains("attention.self.")) return "attention q/k/v";
        if (name.contains("attention.output.dense")) return "attention output";
        if (name.contains("intermediate.dense")) return "ffn in";
        if (name.contains("output.dense")) return "ffn out";
        return "other";
    }
}
