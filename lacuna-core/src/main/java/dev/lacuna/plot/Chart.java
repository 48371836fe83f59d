// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.plot;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * A small XY chart (lines and markers, axes with ticks, legend) or bar chart rendered headless with
 * Java2D to PNG. Enough for sparsity/quality/speed curves in reports; no dependency beyond the JDK.
 */
public final class Chart {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<double[]> hlines = new ArrayList<>();
    private final List<String> hlineNames = new ArrayList<>();
    private String[] barLabels;
    private int width = 900;
    private int height = 560;

    public Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public Chart add(Series s) {
        series.add(s);
        return this;
    }

    /** A horizontal reference line (e.g. the dense model's score). */
    public Chart hline(String name, double y) {
        hlines.add(new double[] {y});
        hlineNames.add(name);
        return this;
    }

    /** Renders the series as bars at x = 0..n-1 labelled with {@code labels}. */
    public Chart bars(String[] labels) {
        this.barLabels = labels;
        return this;
    }

    public Chart size(int w, int h) {
        this.width = w;
        this.height = h;
        return this;
    }

    public byte[] png() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An {@code <img>} tag with the PNG inlined, for self-contained HTML reports. */
    public String imgTag() {
        return "<img alt=\"" + title.replace("\"", "&quot;") + "\" src=\"data:image/png;base64,"
                + Base64.getEncoder().encodeToString(png()) + "\">";
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 80, right = 200, top = 50, bottom = barLabels != null ? 110 : 60;
        int pw = width - left - right, ph = height - top - bottom;

        double xmin = Double.POSITIVE_INFINITY, xmax = Double.NEGATIVE_INFINITY, ymin = Double.POSITIVE_INFINITY, ymax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!Double.isFinite(s.y()[i])) continue;
                xmin = Math.min(xmin, s.x()[i]);
                xmax = Math.max(xmax, s.x()[i]);
                ymin = Math.min(ymin, s.y()[i]);
                ymax = Math.max(ymax, s.y()[i]);
            }
        }
        for (double[] h : hlines) {
            ymin = Math.min(ymin, h[0]);
            ymax = Math.max(ymax, h[0]);
        }
        if (barLabels != null) {
            xmin = -0.5;
            xmax = barLabels.length - 0.5;
            ymin = Math.min(0, ymin);
        }
        if (!Double.isFinite(xmin)) {
            xmin = 0;
            xmax = 1;
            ymin = 0;
            ymax = 1;
        }
        if (xmax == xmin) {
            xmin -= 0.5;
            xmax += 0.5;
        }
        if (ymax == ymin) {
            ymin -= 0.5;
            ymax += 0.5;
        }
        double pad = (ymax - ymin) * 0.06;
        ymax += pad;
        if (barLabels == null || ymin < 0) ymin -= pad;
        final double x0 = xmin, x1 = xmax, y0 = ymin, y1 = ymax;
        java.util.function.DoubleUnaryOperator sx = v -> left + (v - x0) / (x1 - x0) * pw;
        java.util.function.DoubleUnaryOperator sy = v -> top + ph - (v - y0) / (y1 - y0) * ph;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, left + (pw - fm.stringWidth(title)) / 2, 30);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        fm = g.getFontMetrics();
        g.setColor(new Color(0xeeeeee));
        double[] yt = ticks(y0, y1);
        for (double t : yt) {
            int py = (int) sy.applyAsDouble(t);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left, py, left + pw, py);
            g.setColor(Color.DARK_GRAY);
            String s = fmt(t);
            g.drawString(s, left - 8 - fm.stringWidth(s), py + 4);
        }
        if (barLabels == null) {
            for (double t : ticks(x0, x1)) {
                int px = (int) sx.applyAsDouble(t);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(px, top, px, top + ph);
                g.setColor(Color.DARK_GRAY);
                String s = fmt(t);
                g.drawString(s, px - fm.stringWidth(s) / 2, top + ph + 18);
            }
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, pw, ph);
        g.drawString(xLabel, left + (pw - fm.stringWidth(xLabel)) / 2, height - 15);
        Graphics2D gr = (Graphics2D) g.create();
        gr.rotate(-Math.PI / 2);
        gr.drawString(yLabel, -(top + (ph + fm.stringWidth(yLabel)) / 2), 20);
        gr.dispose();

        int legendY = top + 10;
        for (int i = 0; i < hlines.size(); i++) {
            int py = (int) sy.applyAsDouble(hlines.get(i)[0]);
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            g.draw(new Line2D.Double(left, py, left + pw, py));
            g.drawLine(left + pw + 15, legendY, left + pw + 35, legendY);
            g.setStroke(new BasicStroke(1));
            g.setColor(Color.BLACK);
            g.drawString(hlineNames.get(i), left + pw + 40, legendY + 4);
            legendY += 18;
        }
        int nb = series.size();
        for (int si = 0; si < nb; si++) {
            Series s = series.get(si);
            Color c = PALETTE[si % PALETTE.length];
            g.setColor(c);
            if (barLabels != null) {
                double bw = 0.8 / nb;
                for (int i = 0; i < s.x().length; i++) {
                    double xl = s.x()[i] - 0.4 + si * bw;
                    int px0 = (int) sx.applyAsDouble(xl), px1 = (int) sx.applyAsDouble(xl + bw);
                    int pyv = (int) sy.applyAsDouble(s.y()[i]), py0 = (int) sy.applyAsDouble(Math.max(0, y0));
                    g.fillRect(px0, Math.min(pyv, py0), Math.max(1, px1 - px0 - 1), Math.abs(py0 - pyv));
                }
            } else {
                g.setStroke(new BasicStroke(2f));
                Path2D path = new Path2D.Double();
                boolean started = false;
                for (int i = 0; i < s.x().length; i++) {
                    if (!Double.isFinite(s.y()[i])) continue;
                    double px = sx.applyAsDouble(s.x()[i]), py = sy.applyAsDouble(s.y()[i]);
                    if (!started) path.moveTo(px, py);
                    else path.lineTo(px, py);
                    started = true;
                    g.fillOval((int) px - 4, (int) py - 4, 8, 8);
                }
                if (s.lines()) g.draw(path);
                g.setStroke(new BasicStroke(1));
            }
            g.fillRect(left + pw + 15, legendY - 5, 20, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), left + pw + 40, legendY + 4);
            legendY += 18;
        }
        if (barLabels != null) {
            g.setColor(Color.DARK_GRAY);
            for (int i = 0; i < barLabels.length; i++) {
                int px = (int) sx.applyAsDouble(i);
                Graphics2D gl = (Graphics2D) g.create();
                gl.translate(px + 4, top + ph + 8);
                gl.rotate(Math.PI / 4);
                gl.drawString(barLabels[i], 0, 0);
                gl.dispose();
            }
        }
    }

    /** About six round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        double span = hi - lo;
        double step = Math.pow(10, Math.floor(Math.log10(span / 6)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (span / (step * m) <= 7) {
                step *= m;
                break;
            }
        }
        List<Double> t = new ArrayList<>();
        double first = Math.ceil(lo / step - 1e-9) * step;
        for (int i = 0; first + i * step <= hi + 1e-6 * span; i++) {
            double v = first + i * step;
            t.add(Math.abs(v) < 1e-12 * span ? 0 : v);
        }
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) return String.valueOf((long) v);
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
