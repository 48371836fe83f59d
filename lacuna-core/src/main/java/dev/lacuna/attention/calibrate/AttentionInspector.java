// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionProbabilities;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.encoder.SentenceEncoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
/**
 * What {@code lacuna attention inspect} shows: for one text, every head's attention map, its shape
 * class, and optionally heatmaps (one grid PNG per layer, rows of heads).
 */
public final class AttentionInspector {
    /** One head on the text. */
    public record HeadView(int layer, int head, AttentionMaps.HeadShape shape) {
        /** One line of {@code lacuna attention inspect}; the key "pattern" (the shape's kind) is the CLI's contract. */
        public String json() {
            return String.format(java.util.Locale.ROOT,
                    "{\"layer\":%d,\"head\":%d,\"pattern\":\"%s\",\"diagonal\":%.4f,\"block\":%.4f,\"vertical\":%.4f,"
                            + "\"global\":%.4f,\"entropy\":%.4f}",
                    layer, head, shape.kind(), shape.diagonal(), shape.block(), shape.vertical(), shape.global(),
                    shape.entropy());
        }
    }

    private AttentionInspector() {}

    /**
     * Runs the model on {@code text} (tokenized with the model's tokenizer, truncated at its maximum
     * length) and classifies every head; writes {@code layer-L.png} grids into {@code heatmapDir}
     * when it is not null.
     *
     * @param cell heatmap pixels per head
     */
    public static List<HeadView> inspect(SentenceEncoder encoder, String text, Path heatmapDir, int cell, int threads) {
        int[] ids = encoder.tokenizer().encode(text).ids();
        if (ids.length < 2) throw new LacunaException("text is empty after tokenization");
        var model = encoder.model();
        int layers = model.layerCount(), heads = model.config().numAttentionHeads(), d = model.config().headDim();
        int c = model.config().hiddenSize(), n = ids.length;
        AttentionCapture.Captured cap;
        try (Parallel par = new Parallel(threads)) {
            cap = AttentionCapture.capture(model, par, List.of(ids), layers - 1);
        }
        float scale = (float) (1 / Math.sqrt(d));
        List<HeadView> out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            List<float[]> maps = new ArrayList<>();
            for (int h = 0; h < heads; h++) {
                float[] p = AttentionProbabilities.of(cap.q()[l], cap.k()[l], c, 0, n, h * d, d, scale);
                maps.add(p);
                out.add(new HeadView(l, h, AttentionMaps.classify(p, n)));
            }
            if (heatmapDir != null) {
                AttentionHeatmap.write(AttentionHeatmap.grid(maps, n, Math.min(heads, 6), cell), heatmapDir.resolve("layer-" + l + ".png"));
            }
        }
        return out;
    }
}
