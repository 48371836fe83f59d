// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionMapsTest {
    private static float[] map(int n, java.util.function.BiFunction<Integer, Integer, Double> w) {
        float[] p = new float[n * n];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int j = 0; j < n; j++) z += w.apply(i, j);
            for (int j = 0; j < n; j++) p[i * n + j] = (float) (w.apply(i, j) / z);
        }
        return p;
    }

    @Test
    void shapesAreClassified() {
        int n = 64;
        assertEquals("diagonal", AttentionMaps.classify(map(n, (i, j) -> i.equals(j) ? 1.0 : 0.0), n).kind());
        assertEquals("global", AttentionMaps.classify(map(n, (i, j) -> j == 0 || j == n - 1 ? 1.0 : 0.001), n).kind());
        assertEquals("vertical", AttentionMaps.classify(map(n, (i, j) -> j == 9 || j == 30 ? 1.0 : 0.001), n).kind());
        assertEquals("block", AttentionMaps.classify(map(n, (i, j) -> Math.abs(i - j) <= 12 ? 1.0 : 0.0), n).kind());
        AttentionMaps.HeadShape u = AttentionMaps.classify(map(n, (i, j) -> 1.0), n);
        assertEquals("diffuse", u.kind());
        assertEquals(1.0, u.entropy(), 1e-6);
    }

    @Test
    void heatmapsAreWrittenAsPng(@TempDir Path dir) throws Exception {
        int n = 4;
        float[] p = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
        BufferedImage img = AttentionHeatmap.render(p, n, 8);
        assertEquals(0xFCFDBF, img.getRGB(0, 0) & 0xFFFFFF); // p = 1: brightest
        assertEquals(0x000004, img.getRGB(7, 0) & 0xFFFFFF); // p = 0: darkest
        Path f = dir.resolve("a.png");
        AttentionHeatmap.write(AttentionHeatmap.grid(List.of(p, p, p), n, 2, 8), f);
        BufferedImage back = ImageIO.read(f.toFile());
        assertEquals(2 * 10 + 2, back.getWidth());
        assertEquals(2 * 10 + 2, back.getHeight());
    }

    @Test
    void inspectClassifiesEveryHeadOfTheModel(@TempDir Path dir) throws Exception {
        var m = ModelLoader.load("default");
        var views = AttentionInspector.inspect(m.encoder(), "The quick brown fox jumps over the lazy dog near the river bank.", dir, 48, 2);
        assertEquals(72, views.size());
        assertTrue(views.stream().allMatch(v -> List.of("diagonal", "block", "vertical", "global", "diffuse").contains(v.shape().kind())));
        for (int l = 0; l < 6; l++) assertTrue(Files.size(dir.resolve("layer-" + l + ".png")) > 100);
        assertTrue(views.get(0).json().startsWith("{\"layer\":0,\"head\":0,\"pattern\":\""), views.get(0).json());
    }
}
