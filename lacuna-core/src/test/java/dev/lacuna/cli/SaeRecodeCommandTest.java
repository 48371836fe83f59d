// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lacuna.sae.ActivationCapture;
import dev.lacuna.sae.ActivationStore;
import dev.lacuna.sae.SaeTestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lacuna sae recode}: OMP on the decoder at the SAE's L0 explains more variance than an untrained encoder. */
class SaeRecodeCommandTest {
    @TempDir
    Path dir;

    @Test
    void solversRecodeAStoreAtTheSaeL0() throws Exception {
        Path sae = dir.resolve("sae");
        Files.createDirectory(sae);
        SaeTestFiles.writeUntrainedEmbeddingSae(sae, 128, 4);
        Path store = dir.resolve("store");
        Files.createDirectory(store);
        SplittableRandom rng = new SplittableRandom(5);
        try (ActivationStore.Writer w = new ActivationStore.Writer(store, "default", ActivationCapture.EMBEDDING, ActivationStore.Dtype.FLOAT32, 1000, List.of("a", "b"))) {
            for (int s = 0; s < 2; s++) {
                float[] act = new float[12 * 384];
                for (int i = 0; i < act.length; i++) act[i] = (float) (rng.nextDouble() - 0.5);
                w.append(act, 0, 12, 384, new int[12], 0);
            }
            w.finish();
        }
        for (String solver : new String[] {"omp", "iht", "fista"}) {
            CliRunner.Result r = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", solver, "--rows", "12");
            assertEquals(0, r.exit(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
            assertEquals(12, j.get("rows").asInt());
            int k = j.get("k").asInt();
            assertTrue(j.get(solver).get("l0").asDouble() <= k + 1e-9 || solver.equals("fista"), r.out());
            if (solver.equals("omp")) assertTrue(j.get("omp").get("fve").asDouble() > j.get("sae").get("fve").asDouble(), r.out());
        }
        CliRunner.Result bad = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", "lars");
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().contains("unknown --solver 'lars' (omp, iht, fista)"), bad.err());
    }
}
