// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.TestData;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard on real MiniLM activations (STS-B dev sentences, layer.3.resid_post), opened in a real
 * headless Chromium: the index's script renders, sorts and filters rows; a latent page's screenshot
 * shows highlighted tokens (the highlight colour) among dark text. Skips only when no Chromium is installed.
 */
class SaeDashboardBrowserTest {
    static String chromium() {
        for (String c : new String[] {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, c))) return Path.of(dir, c).toString();
            }
        }
        return null;
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void dashboardRendersInHeadlessChromium(@TempDir Path tmp) throws Exception {
        String chrome = chromium();
        assumeTrue(chrome != null, "SKIPPED: no chromium on PATH (install Debian's 'chromium'; .ci/run does) - the dashboard browser test did not run");
        LoadedModel lm = ModelLoader.load("default");
        List<String> texts = TestData.stsbDevSentences(120);
        Path store = tmp.resolve("store");
        Files.createDirectories(store);
        try (Parallel par = new Parallel(2)) {
            try (ActivationStore.Writer w = new ActivationStore.Writer(store, "default", "layer.3.resid_post", ActivationStore.Dtype.FLOAT16, 4096, List.of("stsb-dev"))) {
                ActivationCapture.capture(par, lm.encoder(), "layer.3.resid_post", texts, 1024, w, null);
                w.finish();
            }
            Path site = tmp.resolve("site");
            int shown;
            try (ActivationStore st = ActivationStore.open(store)) {
                SaeConfig cfg = SaeConfig.defaults("topk", 384, 256, 8, "layer.3.resid_post", "default");
                SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(3e-3, 256, 256 * 30, 0.05, 0.2, 1), st);
                tr.train(par, st, null, 0, null);
                shown = SaeDashboard.write(par, tr.toSae(), st, SaeDashboard.vocabulary(lm.tokenizerJson().get()), 100_000, 10, 8, site, null).latentsShown();
            }
            assertTrue(shown > 50, "latents shown: " + shown);

            // the index's script ran: one row per latent, sorted by density, descending
            String dom = run(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", site.resolve("index.html").toUri().toString());
            List<Double> dens = new ArrayList<>();
            Matcher m = Pattern.compile("<tr data-latent=\"\\d+\"><td><a[^>]*>\\d+</a></td><td>([0-9.]+)</td>").matcher(dom);
            while (m.find()) dens.add(Double.parseDouble(m.group(1)));
            assertEquals(shown, dens.size(), "rendered rows");
            for (int i = 1; i < dens.size(); i++) assertTrue(dens.get(i - 1) >= dens.get(i), "not sorted by density at row " + i);
            // search by token: every remaining row lists the token
            String filtered = run(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", site.resolve("index.html").toUri() + "?q=man");
            Matcher f = Pattern.compile("<tr data-latent=\"\\d+\">.*?</tr>").matcher(filtered);
            int rows = 0;
            while (f.find()) {
                rows++;
                assertTrue(f.group().toLowerCase().contains("man"), "row without the token: " + f.group());
            }
            assertTrue(rows > 0 && rows < shown, "search kept " + rows + " of " + shown);

            // a latent page: screenshot shows highlighted tokens in a real context
            String top = dom.replaceAll("(?s).*?<tr data-latent=\"(\\d+)\".*", "$1");
            Path page = site.resolve("latents/" + top + ".html");
            String html = Files.readString(page);
            int ctx = html.split("<div class=\"ctx\">", -1).length - 1, marks = html.split("<mark>", -1).length - 1;
            assertTrue(ctx == 10 && marks == 10, "10 contexts, each with its token highlighted: " + ctx + " / " + marks);
            Path png = tmp.resolve("latent.png");
            run(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,900", "--screenshot=" + png, page.toUri().toString());
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(1000, img.getWidth());
            int orange = 0, dark = 0, blue = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y), r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                    if (r > 235 && g > 130 && g < 175 && b < 40) orange++;
                    if (r < 80 && g < 80 && b < 80) dark++;
                    if (r < 60 && g > 70 && g < 130 && b > 160) blue++;
                }
            }
            assertTrue(orange > 500, "highlighted tokens visible: " + orange + " highlight pixels");
            assertTrue(dark > 2000, "text visible: " + dark + " dark pixels");
            assertTrue(blue > 500, "histogram bars visible: " + blue + " blue pixels");
        }
    }
}
