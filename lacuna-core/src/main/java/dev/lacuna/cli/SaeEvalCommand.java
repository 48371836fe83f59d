// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.eval.Stsb;
import dev.lacuna.io.Progress;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.Sae;
import dev.lacuna.sae.SaeEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna sae eval}: reconstruction quality and spliced downstream fidelity of an SAE. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate an SAE: FVE, MSE, L0, dead/dense latents, spliced embedding cosine, STS-B change.")
public final class SaeEvalCommand implements Callable<Integer> {
    @Option(names = "--sae", required = true, paramLabel = "SAE", description = "SAE directory from 'lacuna sae train'")
    Path sae;

    @Option(names = "--store", required = true, paramLabel = "STORE", description = "activation store of the same model and hook (use held-out text)")
    Path store;

    @Option(names = "--stsb", paramLabel = "FILE.csv", description = "also report the STS-B Spearman change with the SAE spliced in")
    Path stsb;

    @Option(names = "--tokens", defaultValue = "200000", paramLabel = "T", description = "evaluate on at most T store rows (default: ${DEFAULT-VALUE})")
    long tokens;

    @Option(names = "--splice-texts", defaultValue = "256", paramLabel = "N", description = "store sequences for the spliced cosine (default: ${DEFAULT-VALUE})")
    int spliceTexts;

    @Option(names = "--holdout", defaultValue = "0", paramLabel = "F", description = "evaluate reconstruction on the store's last F of rows (those 'sae train --holdout F' left out; default: ${DEFAULT-VALUE}: from the first row)")
    double holdout;

    @Mixin
    ThreadsOption threads;


    @Override
    public Integer call() {
        if (tokens < 1) throw new LacunaException("--tokens must be >= 1, got " + tokens);
        if (spliceTexts < 1) throw new LacunaException("--splice-texts must be >= 1, got " + spliceTexts);
        int t = threads.get();
        Sae s = Sae.load(sae);
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(t)) {
            st.checkMatches("the SAE in " + sae, s.config().modelName(), s.config().hookName(), s.config().dIn());
            if (!(holdout >= 0 && holdout < 1)) throw new LacunaException("--holdout must be in [0, 1), got " + holdout);
            dev.lacuna.sae.ActivationRows rows = holdout == 0 ? st : dev.lacuna.sae.ActivationRows.range(st, (long) (st.tokens() * (1 - holdout)), st.tokens());
            SaeEvaluator.Reconstruction r;
            try (Progress p = Progress.of("eval", Math.min(tokens, rows.tokens()), 50_000)) {
                r = SaeEvaluator.reconstruction(par, s, rows, tokens, p);
            }
            LoadedModel lm = ModelLoader.load(s.config().modelName());
            // an SAE on the sentence embedding itself: the "spliced" embedding is the reconstruction
            double cos = SaeEvaluator.onEmbedding(s) ? SaeEvaluator.embeddingCosine(par, s, rows, 4096)
                    : SaeEvaluator.splicedCosine(par, s, lm.encoder(), SaeEvaluator.sequences(st, spliceTexts));
            String delta = "null";
            if (stsb != null) {
                double[] rho = SaeEvaluator.stsb(par, s, lm.encoder(), Stsb.read(stsb));
                System.err.printf(Locale.ROOT, "lacuna: STS-B Spearman x100: original %.2f, SAE spliced %.2f%n", rho[0], rho[1]);
                delta = String.format(Locale.ROOT, "%.4f", rho[1] - rho[0]);
            }
            System.out.println(String.format(Locale.ROOT, "{\"fve\":%.4f,\"mse\":%.6g,\"l0\":%.2f,\"dead_frac\":%.4f,\"dense_frac\":%.4f,\"spliced_cosine\":%.4f,\"stsb_delta\":%s}",
                    r.fve(), r.mse(), r.l0(), r.deadFrac(), r.denseFrac(), cos, delta));
        }
        return 0;
    }
}
