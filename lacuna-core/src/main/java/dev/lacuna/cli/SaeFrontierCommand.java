// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.Progress;
import dev.lacuna.plot.Chart;
import dev.lacuna.plot.Series;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.Sae;
import dev.lacuna.sae.SaeEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code lacuna sae frontier}: the L0 / FVE frontier of several SAEs on one (held-out) activation store,
 * as {@code frontier.csv}, {@code frontier.png} (FVE against mean L0, one series per architecture) and an
 * {@code index.html}, written atomically into {@code --out}.
 */
@Command(name = "frontier", mixinStandardHelpOptions = true,
        description = "Evaluate SAEs on one activation store and plot FVE against L0 per architecture.")
public final class SaeFrontierCommand implements Callable<Integer> {
    @Option(names = "--sae", required = true, arity = "1..*", paramLabel = "SAE", description = "SAE directories from 'lacuna sae train' (same model and hook)")
    List<Path> saes;

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "activation store of that model and hook (use held-out text)")
    Path store;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (frontier.csv, frontier.png, index.html)")
    Path out;

    @Option(names = "--tokens", defaultValue = "200000", paramLabel = "T", description = "evaluate on at most T store rows (default: ${DEFAULT-VALUE})")
    long tokens;

    @Mixin
    OverwriteOption overwrite;

    @Mixin
    ThreadsOption threads;


    /** One evaluated SAE. */
    record Point(String sae, String arch, String setting, SaeEvaluator.Reconstruction r) {}

    @Override
    public Integer call() throws IOException {
        if (tokens < 1) throw new LacunaException("--tokens must be >= 1, got " + tokens);
        overwrite.refuseExisting(out, Stream.concat(saes.stream(), Stream.of(store)).toArray(Path[]::new));
        int t = threads.get();
        List<Point> points = new ArrayList<>();
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(t)) {
            List<Sae> loaded = new ArrayList<>();
            for (Path dir : saes) { // every SAE is read and checked before any work starts
                Sae s = Sae.load(dir);
                st.checkMatches("the SAE in " + dir, s.config().modelName(), s.config().hookName(), s.config().dIn());
                loaded.add(s);
            }
            Progress prog = Progress.of("frontier", saes.size(), 0);
            for (int i = 0; i < saes.size(); i++) {
                Path dir = saes.get(i);
                Sae s = loaded.get(i);
                loaded.set(i, null);
                SaeEvaluator.Reconstruction r = SaeEvaluator.reconstruction(par, s, st, tokens, null);
                points.add(new Point(dir.toString(), s.config().architecture(), s.architecture().sparsitySetting(), r));
                System.err.printf(Locale.ROOT, "lacuna: %s (%s %s): L0 %.1f, FVE %.4f%n", dir, s.config().architecture(), s.architecture().sparsitySetting(), r.l0(), r.fve());
                prog.advance(1);
            }
            prog.close();
        }
        try (AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite)) {
            StringBuilder csv = new StringBuilder("sae,architecture,setting,l0,fve,mse,dead_frac,dense_frac\n");
            for (Point p : points) {
                csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.3f,%.5f,%.6g,%.5f,%.5f%n", p.sae().replace(',', '_'), p.arch(), p.setting(),
                        p.r().l0(), p.r().fve(), p.r().mse(), p.r().deadFrac(), p.r().denseFrac()));
            }
            Files.writeString(dir.dir().resolve("frontier.csv"), csv);
            Chart chart = new Chart("SAE frontier on " + store.getFileName() + " (" + points.get(0).r().tokens() + " tokens)", "mean L0 (active latents per token)", "fraction of variance explained");
            Set<String> archs = new LinkedHashSet<>();
            for (Point p : points) archs.add(p.arch());
            for (String a : archs) {
                List<Point> ps = points.stream().filter(p -> p.arch().equals(a)).sorted((x, y) -> Double.compare(x.r().l0(), y.r().l0())).toList();
                chart.add(new Series(a, ps.stream().mapToDouble(p -> p.r().l0()).toArray(), ps.stream().mapToDouble(p -> p.r().fve()).toArray(), ps.size() > 1));
            }
            Files.write(dir.dir().resolve("frontier.png"), chart.png());
            Files.writeString(dir.dir().resolve("index.html"), "<!doctype html><html><head><meta charset=\"utf-8\"><title>Lacuna SAE frontier</title></head><body>"
                    + "<h1>SAE frontier</h1><p>" + points.size() + " SAEs evaluated on " + store + ".</p><img src=\"frontier.png\">"
                    + "<p><a href=\"frontier.csv\">frontier.csv</a></p></body></html>\n");
            dir.commit();
        }
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"points\":%d}", out, points.size()));
        return 0;
    }

}
