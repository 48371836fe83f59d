// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Activation store round trips, training that learns, bit-exact resume, and one-line errors on bad input. */
class SaeTrainingTest {
    static final int D = 16, L = 64;

    /** A store of rows that are sparse combinations of 24 hidden directions (an SAE can recover them). */
    static Path syntheticStore(Path dir, String name, ActivationStore.Dtype dt, int tokens, long seed, String hook) throws IOException {
        Path out = dir.resolve(name);
        Files.createDirectories(out);
        Random r = new Random(seed);
        float[][] dirs = new float[24][D];
        for (float[] v : dirs) for (int i = 0; i < D; i++) v[i] = (float) r.nextGaussian();
        try (ActivationStore.Writer w = new ActivationStore.Writer(out, "test-model", hook, dt, 100, List.of("synthetic"))) {
            int seq = 0;
            while (w.tokens() < tokens) {
                int len = Math.min(tokens - (int) w.tokens(), 5 + seq % 7);
                float[] act = new float[len * D];
                int[] ids = new int[len];
                for (int t = 0; t < len; t++) {
                    ids[t] = 100 + r.nextInt(50);
                    for (int c = 0; c < 3; c++) {
                        float[] v = dirs[r.nextInt(dirs.length)];
                        float a = 1 + r.nextFloat() * 2;
                        for (int i = 0; i < D; i++) act[t * D + i] += a * v[i];
                    }
                    act[t * D] += 3; // a mean offset for b_dec
                }
                w.append(act, 0, len, D, ids, 0);
                seq++;
            }
            w.finish();
        }
        return out;
    }

    @Test
    void storeReturnsExactlyWhatWasWritten(@TempDir Path tmp) throws IOException {
        for (ActivationStore.Dtype dt : ActivationStore.Dtype.values()) {
            Path dir = tmp.resolve(dt.label());
            Files.createDirectories(dir);
            Random r = new Random(1);
            float[] all = new float[250 * D];
            int[] ids = new int[250];
            for (int i = 0; i < all.length; i++) all[i] = (float) r.nextGaussian() * 10;
            for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(30000);
            try (ActivationStore.Writer w = new ActivationStore.Writer(dir, "m", "layer.1.attn_z", dt, 64, List.of("a.txt"))) {
                w.append(all, 0, 100, D, ids, 0);
                w.append(all, 100, 150, D, ids, 100);
                w.finish();
            }
            try (ActivationStore st = ActivationStore.open(dir)) {
                assertEquals(250, st.tokens());
                assertEquals(4, st.info().shards());
                assertEquals("layer.1.attn_z", st.info().hook());
                float[] row = new float[D];
                for (int t = 0; t < 250; t++) {
                    st.row(t, row, 0);
                    for (int i = 0; i < D; i++) {
                        float want = dt == ActivationStore.Dtype.FLOAT32 ? all[t * D + i] : Float.float16ToFloat(Float.floatToFloat16(all[t * D + i]));
                        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(row[i]), dt + " row " + t + " col " + i);
                    }
                    assertEquals(ids[t], st.tokenId(t));
                    assertEquals(t < 100 ? 0 : 1, st.sequence(t));
                }
                int[] p = st.permutation(7, 0);
                assertArrayEquals(p, st.permutation(7, 0));
                assertFalse(java.util.Arrays.equals(p, st.permutation(7, 1)), "epochs should be shuffled differently");
                int[] sorted = p.clone();
                java.util.Arrays.sort(sorted);
                for (int i = 0; i < sorted.length; i++) assertEquals(i, sorted[i]);
            }
        }
    }

    @Test
    void topKLearnsSyntheticFeatures(@TempDir Path tmp) throws IOException {
        Path store = syntheticStore(tmp, "s", ActivationStore.Dtype.FLOAT32, 4000, 3, "layer.0.resid_post");
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(2)) {
            SaeConfig cfg = SaeConfig.defaults("topk", D, L, 4, "layer.0.resid_post", "test-model");
            SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(5e-3, 128, 128 * 600, 0.05, 0.2, 1), st);
            tr.train(par, st, null, 0, null);
            SaeEvaluator.Reconstruction r = SaeEvaluator.reconstruction(par, tr.toSae(), st, 4000, null);
            assertTrue(r.fve() > 0.9, "FVE " + r.fve());
            assertTrue(r.l0() <= 4.0 + 1e-9, "L0 " + r.l0());
        }
    }

    /**
     * ReLU and JumpReLU start near mean L0 = k (gates from the data's quantiles, not half of all latents),
     * and the sparsity penalty warms up linearly over its fraction of the steps.
     */
    @Test
    void reluAndJumpReluStartSparse(@TempDir Path tmp) throws IOException {
        Path store = syntheticStore(tmp, "s", ActivationStore.Dtype.FLOAT32, 4000, 3, "layer.0.resid_post");
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(2)) {
            for (String arch : new String[] {"relu", "jumprelu"}) {
                SaeConfig cfg = SaeConfig.defaults(arch, D, L, 4, "layer.0.resid_post", "test-model");
                SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(5e-3, 128, 128 * 300, 0.05, 0.2, 1, 0.05, 4), st);
                SaeEvaluator.Reconstruction r = SaeEvaluator.reconstruction(par, tr.toSae(), st, 4000, null);
                assertTrue(r.l0() > 2 && r.l0() < 8, arch + ": initial L0 " + r.l0() + " should be near k = 4 (of " + L + ")");
            }
        }
        SaeTrainer.Options o = new SaeTrainer.Options(1e-3, 10, 1000, 0, 0, 1, 0.1, 32); // 100 steps, 10 of warm-up
        assertEquals(0.1, o.penaltyAt(0), 1e-12);
        assertEquals(0.5, o.penaltyAt(4), 1e-12);
        assertEquals(1.0, o.penaltyAt(9), 1e-12);
        assertEquals(1.0, o.penaltyAt(50), 1e-12);
    }

    /** The batch-level architectures, encoded per token with their calibrated thresholds, keep about k latents and reconstruct. */
    @Test
    void thresholdInferenceKeepsTheBudget(@TempDir Path tmp) throws IOException {
        Path store = syntheticStore(tmp, "s", ActivationStore.Dtype.FLOAT32, 4000, 3, "layer.0.resid_post");
        try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(2)) {
            for (String arch : new String[] {"batchtopk", "mutualchoice", "featurechoice"}) {
                SaeConfig cfg = SaeConfig.defaults(arch, D, L, 4, "layer.0.resid_post", "test-model");
                SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(5e-3, 128, 128 * 300, 0.05, 0.2, 1), st);
                tr.train(par, st, null, 0, null);
                SaeEvaluator.Reconstruction r = SaeEvaluator.reconstruction(par, tr.toSae(), st, 4000, null);
                assertTrue(r.l0() > 0.6 * 4 && r.l0() < 1.5 * 4, arch + ": L0 " + r.l0() + " far from k = 4");
                assertTrue(r.fve() > 0.7, arch + ": FVE " + r.fve());
            }
        }
    }

    @Test
    void checkpointResumeIsBitExact(@TempDir Path tmp) throws IOException {
        Path store = syntheticStore(tmp, "s", ActivationStore.Dtype.FLOAT16, 1000, 5, "layer.0.resid_post");
        for (String arch : new String[] {"topk", "mutualchoice", "jumprelu"}) {
            SaeConfig cfg = SaeConfig.defaults(arch, D, L, 4, "layer.0.resid_post", "test-model");
            SaeTrainer.Options opt = new SaeTrainer.Options(2e-3, 64, 64 * 40, 0.1, 0.3, 9); // 40 steps, crosses epochs
            Path ckpt = tmp.resolve("ckpt-" + arch);
            try (ActivationStore st = ActivationStore.open(store); Parallel par = new Parallel(2)) {
                SaeTrainer a = SaeTrainer.create(cfg, opt, st);
                a.train(par, st, null, 64 * 17, (seen, writer) -> {
                    if (seen == 64 * 17) {
                        try {
                            Files.createDirectories(ckpt);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                        writer.accept(ckpt);
                    }
                });
                SaeTrainer b = SaeTrainer.resume(ckpt, null);
                assertEquals(64 * 17, b.tokensSeen());
                b.train(par, st, null, 0, null);
                Map<String, float[]> sa = a.stateArrays(), sb = b.stateArrays();
                for (String k : sa.keySet()) assertArrayEquals(sa.get(k), sb.get(k), arch + ": " + k + " differs after resume");
                // and the saved SAE round-trips
                Path out = tmp.resolve("final-" + arch);
                Files.createDirectories(out);
                a.writeCheckpoint(out);
                Sae loaded = Sae.load(out);
                float[] x = new float[10 * D], y1 = new float[10 * D], y2 = new float[10 * D];
                for (int t = 0; t < 10; t++) st.row(t, x, t * D);
                a.toSae().reconstruct(par, x, 10, y1, new SaeArchitecture.Work());
                loaded.reconstruct(par, x, 10, y2, new SaeArchitecture.Work());
                assertArrayEquals(y1, y2, 1e-5f, arch + ": reloaded SAE reconstructs differently");
                assertNotEquals(0f, y1[0]);
            }
        }
    }

    @Test
    void badInputGivesOneLineErrors(@TempDir Path tmp) throws IOException {
        Path store = syntheticStore(tmp, "s", ActivationStore.Dtype.FLOAT32, 300, 5, "layer.0.resid_post");
        Path other = syntheticStore(tmp, "o", ActivationStore.Dtype.FLOAT32, 300, 5, "layer.2.mlp_out");
        SaeConfig cfg = SaeConfig.defaults("topk", D, L, 4, "layer.0.resid_post", "test-model");
        Path sae = tmp.resolve("sae");
        Files.createDirectories(sae);
        try (ActivationStore st = ActivationStore.open(store); ActivationStore ot = ActivationStore.open(other)) {
            SaeTrainer tr = SaeTrainer.create(cfg, new SaeTrainer.Options(1e-3, 32, 64, 0, 0, 1), st);
            tr.train(Parallel.serial(), st, null, 0, null);
            tr.writeCheckpoint(sae);
            // the checkpoint says which Lacuna wrote it, in which format; a later format is refused in one line
            String cfgText = Files.readString(sae.resolve(Sae.CFG));
            assertTrue(cfgText.contains("\"lacuna_format\" : \"" + Sae.FORMAT + "\"") && cfgText.contains("\"lacuna_version\" : \"" + dev.lacuna.Version.get() + "\""), cfgText);
            Files.writeString(sae.resolve(Sae.CFG), cfgText.replace(Sae.FORMAT, "lacuna-sae-v2").replace("\"lacuna_version\" : \"" + dev.lacuna.Version.get(), "\"lacuna_version\" : \"9.0.0"));
            String future = assertThrows(LacunaException.class, () -> Sae.load(sae)).getMessage();
            assertEquals(sae.resolve(Sae.CFG) + ": SAE checkpoint format lacuna-sae-v2, written by Lacuna 9.0.0; this Lacuna (" + dev.lacuna.Version.get()
                    + ") reads lacuna-sae-v1 (use the Lacuna that wrote it, or train it again)", future);
            Files.writeString(sae.resolve(Sae.CFG), cfgText);
            Sae.load(sae);
            // store from another hook
            String m1 = assertThrows(LacunaException.class, () -> SaeTrainer.create(cfg, new SaeTrainer.Options(1e-3, 32, 64, 0, 0, 1), ot)).getMessage();
            assertTrue(m1.contains("hook layer.2.mlp_out") && m1.contains("expects layer.0.resid_post"), m1);
            // store from another model
            String m2 = assertThrows(LacunaException.class, () -> st.checkMatches("the SAE", "default", "layer.0.resid_post", D)).getMessage();
            assertTrue(m2.contains("from model 'test-model'") && m2.contains("expects 'default'"), m2);
            // dimension mismatch
            String m3 = assertThrows(LacunaException.class, () -> st.checkMatches("the SAE", null, "layer.0.resid_post", 384)).getMessage();
            assertTrue(m3.contains("d_in 16") && m3.contains("expects 384"), m3);
        }
        // corrupt checkpoint: truncated weights
        Path w = sae.resolve(Sae.WEIGHTS);
        byte[] bytes = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        String m4 = assertThrows(LacunaException.class, () -> Sae.load(sae)).getMessage();
        assertTrue(m4.contains(Sae.WEIGHTS), m4);
        assertFalse(m4.contains("\n"), m4);
        // corrupt cfg.json
        Files.writeString(sae.resolve(Sae.CFG), "{\"architecture\": \"topk\", \"d_in\": 16,");
        String m5 = assertThrows(LacunaException.class, () -> Sae.load(sae)).getMessage();
        assertTrue(m5.contains("cfg.json") && m5.contains("corrupt"), m5);
        // k larger than latents in cfg.json
        Files.writeString(sae.resolve(Sae.CFG), "{\"architecture\": \"topk\", \"d_in\": 16, \"d_sae\": 8, \"k\": 9, \"hook_name\": \"layer.0.resid_post\"}");
        String m6 = assertThrows(LacunaException.class, () -> Sae.load(sae)).getMessage();
        assertTrue(m6.contains("k = 9 is larger than the latent count d_sae = 8"), m6);
        // truncated shard
        Path shard = store.resolve("acts-00001.bin");
        Files.write(shard, new byte[10], StandardOpenOption.TRUNCATE_EXISTING);
        String m7 = assertThrows(LacunaException.class, () -> ActivationStore.open(store)).getMessage();
        assertTrue(m7.contains("acts-00001.bin") && m7.contains("truncated or corrupt"), m7);
    }

    @Test
    void storeDescriptionAndFilesMustAgreeExactly(@TempDir Path tmp) throws IOException {
        // issue 16, finding 12: store.json claiming two shards where one exists was accepted
        Path store = syntheticStore(tmp, "s", ActivationStore.Dtype.FLOAT32, 80, 5, "layer.0.resid_post");   // one shard of 100
        Path meta = store.resolve("store.json");
        String json = Files.readString(meta);
        assertTrue(json.contains("\"shards\" : 1"), json);
        Files.writeString(meta, json.replace("\"shards\" : 1", "\"shards\" : 2"));
        String m1 = assertThrows(LacunaException.class, () -> ActivationStore.open(store)).getMessage();
        assertEquals(meta + ": shards is 2, but 80 tokens in shards of 100 make 1", m1);
        Files.writeString(meta, json.replace("\"shards\" : 1,", ""));
        String m2 = assertThrows(LacunaException.class, () -> ActivationStore.open(store)).getMessage();
        assertEquals(meta + ": shards is missing, but 80 tokens in shards of 100 make 1", m2);
        // a shard file the description does not account for
        Files.writeString(meta, json);
        Files.write(store.resolve("acts-00001.bin"), new byte[16 * 4]);
        String m3 = assertThrows(LacunaException.class, () -> ActivationStore.open(store)).getMessage();
        assertEquals(store.resolve("acts-00001.bin") + ": not part of the activation store (store.json describes 1 shard)", m3);
        Files.delete(store.resolve("acts-00001.bin"));
        try (ActivationStore st = ActivationStore.open(store)) {
            assertEquals(80, st.tokens());
        }
    }

    @Test
    void storeDescriptionProblemsAreSaidInWords(@TempDir Path tmp) throws IOException {
        // issue 16, finding 13: "(FileNotFoundException)", "(JsonParseException)"
        Path store = Files.createDirectories(tmp.resolve("s"));
        Path meta = store.resolve("store.json");
        String m1 = assertThrows(LacunaException.class, () -> ActivationStore.open(store)).getMessage();
        assertEquals(meta + ": not a readable activation store description (no such file or directory)", m1);
        Files.writeString(meta, "{\"format\": \"lacuna-activation-store-v1\",\n \"d_in\": }");
        String m2 = assertThrows(LacunaException.class, () -> ActivationStore.open(store)).getMessage();
        assertTrue(m2.startsWith(meta + ": not a readable activation store description (not valid JSON at line 2 column 10 ("), m2);
        assertFalse(m2.contains("Exception") || m2.contains("\n") || m2.contains("[Source"), m2);
    }
}
