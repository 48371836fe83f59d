// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.Progress;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.Sae;
import dev.lacuna.sae.SaeDashboard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna sae dashboard}: a static HTML site of an SAE's latents. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, description = "Write a static HTML dashboard: per-latent top contexts, histogram, density; sortable, searchable index.")
public final class SaeDashboardCommand implements Callable<Integer> {
    @Option(names = "--sae", required = true, paramLabel = "SAE", description = "SAE directory")
    Path sae;

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "activation store of the same model and hook")
    Path store;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--tokens", defaultValue = "100000", paramLabel = "T", description = "store rows to encode (default: ${DEFAULT-VALUE})")
    long tokens;

    @Option(names = "--top", defaultValue = "12", paramLabel = "N", description = "contexts per latent (default: ${DEFAULT-VALUE})")
    int top;

    @Mixin
    OverwriteOption overwrite;

    @Mixin
    ThreadsOption threads;


    @Override
    public Integer call() {
        if (tokens < 1 || top < 1) throw new LacunaException("--tokens and --top must be >= 1");
        overwrite.refuseExisting(out, sae, store);
        Sae s = Sae.load(sae);
        int t = threads.get();
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(t);
             AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite);
             Progress p = Progress.of("dashboard", Math.min(tokens, st.tokens()), 20_000)) {
            st.checkMatches("the SAE in " + sae, s.config().modelName(), s.config().hookName(), s.config().dIn());
            String[] vocab = SaeDashboard.vocabulary(ModelLoader.load(s.config().modelName()).tokenizerJson().get());
            SaeDashboard.Result r = SaeDashboard.write(par, s, st, vocab, tokens, top, 8, dir.dir(), p);
            dir.commit();
            System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"index\":\"%s\",\"latents\":%d,\"tokens\":%d}",
                    out, out.resolve("index.html"), r.latentsShown(), r.tokens()));
        }
        return 0;
    }
}
