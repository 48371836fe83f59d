// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.io.PathChecks;
import dev.lacuna.io.Progress;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.SaeConfig;
import dev.lacuna.sae.SaeTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna sae train}: trains an SAE on an activation store. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a sparse autoencoder on an activation store.")
public final class SaeTrainCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "STORE", description = "activation store from 'lacuna sae capture'")
    Path store;

    @Option(names = "--arch", defaultValue = "topk", paramLabel = "A", description = "topk, batchtopk, relu, jumprelu, mutualchoice, featurechoice (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--latents", paramLabel = "N", description = "latents d_sae (required unless --resume)")
    Integer latents;

    @Option(names = "--k", defaultValue = "32", paramLabel = "K", description = "active latents per token (topk; mean for batchtopk, mutualchoice, featurechoice; relu, jumprelu: the initial mean L0, set from the data; default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--tokens", paramLabel = "T", description = "training tokens (default: 2000000; with --resume: the checkpoint's)")
    Long tokens;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of initialisation and shuffling (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--lr", defaultValue = "2e-3", paramLabel = "LR", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--batch", defaultValue = "2048", paramLabel = "B", description = "tokens per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr-warm-up", defaultValue = "0.05", paramLabel = "F", description = "fraction of steps of linear LR warm-up (default: ${DEFAULT-VALUE})")
    double lrWarmUp;

    @Option(names = "--lr-decay", defaultValue = "0.2", paramLabel = "F", description = "fraction of final steps of linear LR decay to 0 (default: ${DEFAULT-VALUE})")
    double lrDecay;

    @Option(names = "--l1", paramLabel = "λ", description = "relu: L1 coefficient (default: 5)")
    Double l1;

    @Option(names = "--l0", paramLabel = "λ", description = "jumprelu: L0 coefficient (default: 1)")
    Double l0;

    @Option(names = "--no-aux", description = "disable aux_k / aux_zipf_loss")
    boolean noAux;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "T", description = "write --out every T tokens during training (default: only at the end)")
    long checkpointEvery;

    @Option(names = "--resume", paramLabel = "SAE", description = "continue training from a checkpoint written by this command")
    Path resume;

    @Option(names = "--out", required = true, paramLabel = "SAE", description = "SAE directory to write (cfg.json, sae_weights.safetensors, trainer_state.safetensors)")
    Path out;

    @Mixin
    OverwriteOption overwrite;

    @Option(names = "--holdout", defaultValue = "0", paramLabel = "F", description = "train on the first 1 - F of the store's rows only, keeping the last F for 'sae eval --holdout F' (default: ${DEFAULT-VALUE})")
    double holdout;

    @Option(names = "--profile", description = "print wall time per part of a training step to stderr")
    boolean profile;

    @Mixin
    ThreadsOption threads;


    @Override
    public Integer call() {
        PathChecks.refuseOutputOverInput(out, store); // --resume may be --out: training continues in place
        if (Files.exists(out) && !overwrite.overwrite && (resume == null || !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize()))) {
            throw new LacunaException(out + " already exists (use --overwrite to replace it)");
        }
        if (checkpointEvery < 0) throw new LacunaException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        int t = threads.get();
        if (!(holdout >= 0 && holdout < 1)) throw new LacunaException("--holdout must be in [0, 1), got " + holdout);
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(t)) {
            dev.lacuna.sae.ActivationRows rows = holdout == 0 ? st : dev.lacuna.sae.ActivationRows.range(st, 0, (long) (st.tokens() * (1 - holdout)));
            SaeTrainer trainer;
            if (resume != null) {
                trainer = SaeTrainer.resume(resume, tokens);
                st.checkMatches("the SAE in " + resume, trainer.config().modelName(), trainer.config().hookName(), trainer.config().dIn());
            } else {
                if (latents == null) throw new LacunaException("--latents is required (unless --resume)");
                SaeConfig cfg = SaeConfig.defaults(arch, st.dIn(), latents, k, st.info().hook(), st.info().model()).withCoefficients(l1, l0);
                if (noAux) cfg = cfg.withAux(0, 0);
                st.checkMatches("the SAE", null, cfg.hookName(), cfg.dIn());
                trainer = SaeTrainer.create(cfg, new SaeTrainer.Options(lr, batch, tokens == null ? 2_000_000 : tokens, lrWarmUp, lrDecay, seed, 0.05, k), rows);
            }
            if (resume == null) {
                trainer.note("store", store.toAbsolutePath().normalize().toString());
                trainer.note("store_texts", String.join(",", st.info().texts()));
                trainer.note("store_rows_trained", "[0, " + rows.tokens() + ") of " + st.tokens() + (holdout > 0 ? " (--holdout " + holdout + ")" : ""));
            }
            long start = trainer.tokensSeen();
            dev.lacuna.model.Profile prof = profile ? new dev.lacuna.model.Profile() : null;
            trainer.profile(prof);
            try (Progress prog = Progress.of("train " + trainer.config().architecture(), Math.max(0, trainer.targetTokens() - start), 0)) {
                trainer.train(par, rows, prog, checkpointEvery, (seen, writer) -> write(writer));
            }
            write(trainer::writeCheckpoint);
            if (prof != null) {
                long all = prof.nanos().values().stream().mapToLong(Long::longValue).sum();
                prof.nanos().forEach((k, v) -> System.err.printf(Locale.ROOT, "lacuna: profile %-20s %8.1f ms %5.1f%%%n", k, v / 1e6, 100.0 * v / all));
            }
            long trained = trainer.tokensSeen() - start;
            System.err.println("lacuna: " + trainer.summary());
            System.out.println(String.format(Locale.ROOT, "{\"tokens\":%d,\"tokens_per_s\":%.1f,\"seconds\":%.2f}",
                    trained, trained / Math.max(1e-9, trainer.seconds()), trainer.seconds()));
        }
        return 0;
    }

    private void write(java.util.function.Consumer<Path> writer) {
        try (AtomicDirectory dir = AtomicDirectory.create(out, true)) {
            writer.accept(dir.dir());
            dir.commit();
        }
    }
}
