// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.plot;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartTest {
    @Test
    void rendersAPngWithColouredSeries() throws Exception {
        Chart c = new Chart("quality vs sparsity", "sparsity", "Spearman")
                .add(new Series("wanda", new double[] {0.3, 0.5, 0.7}, new double[] {86.5, 86.0, 83.0}, true))
                .hline("dense", 86.7);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(c.png()));
        assertEquals(900, img.getWidth());
        int blue = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) == 0x1f77b4) blue++;
        assertTrue(blue > 100, "the series is drawn in its colour: " + blue + " pixels");
        assertTrue(c.imgTag().startsWith("<img alt=\"quality vs sparsity\" src=\"data:image/png;base64,"));
    }

    @Test
    void ticksAreRound() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, Chart.ticks(0, 1), 1e-9);
        assertArrayEquals(new double[] {80, 82, 84, 86}, Chart.ticks(79.5, 87.1), 1e-9);
    }
}
