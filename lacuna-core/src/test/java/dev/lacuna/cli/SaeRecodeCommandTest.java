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
        String sameOnTwo = null;
        for (String threads : new String[] {"1", "2"}) { // the codes do not depend on the team
            CliRunner.Result r = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", "omp", "--rows", "12", "--threads", threads);
            assertEquals(0, r.exit(), r.err());
            JsonNode omp = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow()).get("omp");
            String fve = omp.get("fve").asText() + " " + omp.get("l0").asText();
            if (sameOnTwo == null) sameOnTwo = fve; else assertEquals(sameOnTwo, fve);
        }
        for (String penalty : new String[] {"l0", "lq", "cel0"}) {
            CliRunner.Result r = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", "fista", "--penalty", penalty, "--rows", "12", "--threads", "2");
            assertEquals(0, r.exit(), r.err());
            JsonNode j = new ObjectMapper().readTree(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
            JsonNode f = j.get("fista");
            assertEquals(penalty, f.get("penalty").asText(), r.out());
            double l0 = f.get("l0").asDouble(), fve = f.get("fve").asDouble();
            assertTrue(l0 > 0 && l0 <= 3 * j.get("k").asInt(), "L0 near the SAE's: " + r.out());
            assertTrue(Double.isFinite(fve) && fve <= 1, r.out());
        }
        CliRunner.Result badPenalty = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", "fista", "--penalty", "l2");
        assertEquals(1, badPenalty.exit(), badPenalty.err());
        assertTrue(badPenalty.err().contains("unknown --penalty 'l2' (l1, l0, lq, cel0)"), badPenalty.err());
        CliRunner.Result penaltyWithOmp = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", "omp", "--penalty", "cel0");
        assertEquals(1, penaltyWithOmp.exit(), penaltyWithOmp.err());
        assertTrue(penaltyWithOmp.err().contains("--penalty applies to --solver fista only"), penaltyWithOmp.err());
        CliRunner.Result bad = CliRunner.run("sae", "recode", "--sae", sae.toString(), "--store", store.toString(), "--solver", "lars");
        assertEquals(1, bad.exit(), bad.err());
        assertTrue(bad.err().contains("unknown --solver 'lars' (omp, iht, fista)"), bad.err());
    }
}
