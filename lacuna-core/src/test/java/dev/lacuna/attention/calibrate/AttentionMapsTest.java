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

    /**
     * The multi-diagonal candidate found from a head's map: its offsets are those a plain search of the
     * map finds (band masses summed cell by cell, heaviest first, bands not overlapping), and its kernel
     * computes softmax over exactly the cells |j - i - o| <= width, as a brute-force masked softmax does.
     */
    @Test
    void multiDiagonalCandidatesMatchABruteForceConstruction() {
        int n = 40;
        // planted bands at -7, -1 and +5 of different strengths, over a weak background
        float[] p = map(n, (i, j) -> j - i == -7 ? 3.0 : j - i == -1 ? 6.0 : j - i == 5 ? 2.0 : 0.02);
        double[] mass = new double[2 * n - 1];
        AttentionMaps.addOffsetMass(p, n, mass, n);
        java.util.Random r = new java.util.Random(11);
        int d = 8;
        float[] q = new float[n * d], k = new float[n * d], v = new float[n * d];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) r.nextGaussian();
            k[i] = (float) r.nextGaussian();
            v[i] = (float) r.nextGaussian();
        }
        float scale = (float) (1 / Math.sqrt(d));
        List<dev.lacuna.attention.MethodSpec> cands = AttentionCalibrator.multiDiagonals(mass, n);
        assertTrue(cands.size() >= 6, cands.toString());
        for (int width : new int[] {0, 2}) {
            for (int count = 1; count <= 3; count++) {
                int[] want = bruteOffsets(p, n, count, width);
                assertEquals(java.util.Arrays.toString(want), java.util.Arrays.toString(AttentionMaps.heaviestDiagonals(mass, n, count, width)));
                StringBuilder b = new StringBuilder();
                for (int o : want) b.append(b.isEmpty() ? "" : ",").append(o);
                var spec = dev.lacuna.attention.MethodSpec.parse("diagonal", java.util.Map.of("offsets", b.toString(), "width",
                        Integer.toString(width), "tile", "32"));
                assertTrue(cands.contains(spec), spec + " not among " + cands);
                float[] out = new float[n * d], lse = new float[n];
                long kept = spec.kernel().attendRows(q, k, v, out, d, 0, n, 0, d, scale, new float[1 << 16], 0, n, lse);
                long cells = 0;
                for (int i = 0; i < n; i++) {
                    double max = Double.NEGATIVE_INFINITY;
                    double[] s = new double[n];
                    boolean[] on = new boolean[n];
                    for (int j = 0; j < n; j++) {
                        for (int o : want) on[j] |= Math.abs(j - i - o) <= width;
                        if (!on[j]) continue;
                        cells++;
                        for (int x = 0; x < d; x++) s[j] += (double) q[i * d + x] * k[j * d + x] * scale;
                        max = Math.max(max, s[j]);
                    }
                    double z = 0;
                    double[] o = new double[d];
                    for (int j = 0; j < n; j++) {
                        if (!on[j]) continue;
                        double e = Math.exp(s[j] - max);
                        z += e;
                        for (int x = 0; x < d; x++) o[x] += e * v[j * d + x];
                    }
                    if (z == 0) continue; // a row with no cell in range: the kernel writes zeros
                    assertEquals(max + Math.log(z), lse[i], 1e-4, spec + " lse row " + i);
                    for (int x = 0; x < d; x++) assertEquals(o[x] / z, out[i * d + x], 1e-4, spec + " row " + i);
                }
                assertEquals(cells, kept, spec.toString());
            }
        }
        // the strongest band first, then the next ones by mass
        assertEquals("[-1]", java.util.Arrays.toString(AttentionMaps.heaviestDiagonals(mass, n, 1, 0)));
        assertEquals("[-7, -1, 5]", java.util.Arrays.toString(AttentionMaps.heaviestDiagonals(mass, n, 3, 0)));
    }

    /** The greedy band search written from the map itself. */
    private static int[] bruteOffsets(float[] p, int n, int count, int width) {
        List<Integer> chosen = new java.util.ArrayList<>();
        for (int round = 0; round < count; round++) {
            int best = Integer.MIN_VALUE;
            double bestMass = 0;
            for (int o = -(n - 1); o <= n - 1; o++) {
                boolean near = false;
                for (int c : chosen) near |= Math.abs(o - c) <= 2 * width;
                if (near) continue;
                double m = 0;
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (Math.abs(j - i - o) <= width) m += p[i * n + j];
                if (m > bestMass + 1e-9 || Math.abs(m - bestMass) <= 1e-9 && best != Integer.MIN_VALUE
                        && (Math.abs(o) < Math.abs(best) || Math.abs(o) == Math.abs(best) && o < best)) {
                    if (m > 0) {
                        best = o;
                        bestMass = m;
                    }
                }
            }
            if (best == Integer.MIN_VALUE) break;
            chosen.add(best);
        }
        return chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
