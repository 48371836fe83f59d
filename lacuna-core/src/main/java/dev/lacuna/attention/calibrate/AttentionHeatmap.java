// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.IoProblem;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Attention maps as PNG images (headless: only BufferedImage and ImageIO). Probabilities are drawn
 * on a log scale from 1e-4 (dark) to 1 (bright) with a magma-like colour map; row i is query i,
 * column j is key j.
 */
public final class AttentionHeatmap {
    private static final float[][] MAGMA = {
            {0, 0, 4}, {28, 16, 68}, {79, 18, 123}, {129, 37, 129}, {181, 54, 122}, {229, 80, 100}, {251, 135, 97},
            {254, 194, 135}, {252, 253, 191}};

    private AttentionHeatmap() {}

    /** One map p [n, n], scaled to size x size pixels (nearest key/query per pixel; max over covered cells when shrinking). */
    public static BufferedImage render(float[] p, int n, int size) {
        if (n < 1 || p.length < n * n) throw new LacunaException("attention map needs " + n + " x " + n + " values, got " + p.length);
        if (size < 1 || size > 8192) throw new LacunaException("heatmap size must be in [1, 8192], got " + size);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            int i0 = (int) ((long) y * n / size), i1 = Math.max(i0 + 1, (int) ((long) (y + 1) * n / size));
            for (int x = 0; x < size; x++) {
                int j0 = (int) ((long) x * n / size), j1 = Math.max(j0 + 1, (int) ((long) (x + 1) * n / size));
                float m = 0;
                for (int i = i0; i < i1; i++) for (int j = j0; j < j1; j++) m = Math.max(m, p[i * n + j]);
                img.setRGB(x, y, colour(m));
            }
        }
        return img;
    }

    /** A grid of maps (e.g. the heads of a layer), {@code cols} per row, each cell x cell pixels with a 2-pixel gap. */
    public static BufferedImage grid(List<float[]> maps, int n, int cols, int cell) {
        if (maps.isEmpty()) throw new LacunaException("no attention maps to draw");
        int rows = (maps.size() + cols - 1) / cols, gap = 2;
        BufferedImage img = new BufferedImage(cols * (cell + gap) + gap, rows * (cell + gap) + gap, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, 0xFFFFFF);
        for (int m = 0; m < maps.size(); m++) {
            BufferedImage one = render(maps.get(m), n, cell);
            int ox = gap + (m % cols) * (cell + gap), oy = gap + (m / cols) * (cell + gap);
            for (int y = 0; y < cell; y++) for (int x = 0; x < cell; x++) img.setRGB(ox + x, oy + y, one.getRGB(x, y));
        }
        return img;
    }

    /** Writes a PNG atomically (temporary sibling file, then a rename). */
    public static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", png)) throw new LacunaException("no PNG writer available");
            AtomicOutput.writeBytes(file, png.toByteArray());
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot write the heatmap (" + IoProblem.describe(e) + ")");
        }
    }

    /** RGB of a probability: log10 scale from 1e-4 to 1 through the colour map. */
    static int colour(float prob) {
        double t = prob <= 1e-4f ? 0 : Math.min(1, (Math.log10(prob) + 4) / 4);
        double pos = t * (MAGMA.length - 1);
        int a = (int) Math.floor(pos), b = Math.min(MAGMA.length - 1, a + 1);
        double f = pos - a;
        int r = (int) Math.round(MAGMA[a][0] + f * (MAGMA[b][0] - MAGMA[a][0]));
        int g = (int) Math.round(MAGMA[a][1] + f * (MAGMA[b][1] - MAGMA[a][1]));
        int bl = (int) Math.round(MAGMA[a][2] + f * (MAGMA[b][2] - MAGMA[a][2]));
        return (r << 16) | (g << 8) | bl;
    }
}
