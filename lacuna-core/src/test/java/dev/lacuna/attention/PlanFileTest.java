// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanFileTest {
    private static SparsePlan sample() {
        return new SparsePlan("default", 6, 12, List.of(
                new SparsePlan.Entry(0, 3, MethodSpec.parse("window", Map.of("window", "64")), 0.97, 0.61, 1.2, "diagonal", false),
                new SparsePlan.Entry(2, 0, MethodSpec.parse("diagonal", Map.of("offsets", "0,-512,512", "width", "8")), 0.951234567, Double.NaN, 0.4, "", true),
                new SparsePlan.Entry(5, 11, MethodSpec.parse("block-topk", Map.of("mass", "0.9", "sink", "false")), Double.NaN, 0.3, Double.NaN, "vertical", false)),
                Map.of("recall_target", "0.95", "seed", "1"));
    }

    @Test
    void planRoundTripsThroughYaml(@TempDir Path dir) throws Exception {
        SparsePlan p = sample();
        Path f = dir.resolve("plan.yaml");
        PlanFile.write(p, f);
        SparsePlan back = PlanFile.read(f);
        assertEquals(p.entries().get(0), back.entries().get(0));
        assertEquals(p.entries().get(2), back.entries().get(2));
        assertEquals(0.951235, back.entries().get(1).recall(), 1e-12); // rounded to 6 digits
        // a second write of what was read is byte-identical
        Path g = dir.resolve("again.yaml");
        PlanFile.write(back, g);
        assertEquals(Files.readString(f), Files.readString(g));
        assertEquals(back, PlanFile.read(g));
        assertTrue(Files.readString(f).contains("method: diagonal"), Files.readString(f));
        // kernels: listed heads get their method, others dense
        assertEquals("window", back.kernel(0, 3).name());
        assertEquals("dense", back.kernel(0, 4).name());
        assertEquals(Map.of("window", 1, "diagonal", 1, "block-topk", 1, "dense", 69), back.methodCounts());
        assertSame(back.kernel(1, 1), back.kernel(4, 7));
    }

    @Test
    void theModelIdentityRoundTripsAndOlderFilesLackIt() {
        ModelIdentity id = new ModelIdentity("m", "sha256:00112233445566aa", "sha256:ffeeddccbbaa9988");
        SparsePlan p = sample().withIdentity(id);
        String yaml = PlanFile.toYaml(p);
        assertTrue(yaml.contains("model_identity:"), yaml);
        SparsePlan back = PlanFile.fromYaml(yaml, "p.yaml");
        assertEquals(id, back.identity());
        assertEquals(yaml, PlanFile.toYaml(back));
        assertEquals(null, sample().identity());
        assertEquals(null, PlanFile.fromYaml(PlanFile.toYaml(sample()), "p.yaml").identity());
        String bad = assertThrows(LacunaException.class, () -> PlanFile.fromYaml(yaml.replace("model_identity:", "model_identity: 3\nx:"), "p.yaml")).getMessage();
        assertTrue(bad.startsWith("p.yaml: model_identity"), bad);
    }

    @Test
    void plansNamingMissingLayersOrHeadsAreRejected() {
        String base = "format: lacuna-attention-plan/1\nmodel: default\nlayers: 6\nheads: 12\nplan:\n";
        String e1 = assertThrows(LacunaException.class, () -> PlanFile.fromYaml(base + "- {layer: 6, head: 0, method: dense}\n", "p.yaml")).getMessage();
        assertEquals("p.yaml: plan names layer 6, but the model has layers 0..5", e1);
        String e2 = assertThrows(LacunaException.class, () -> PlanFile.fromYaml(base + "- {layer: 1, head: 12, method: dense}\n", "p.yaml")).getMessage();
        assertEquals("p.yaml: plan names head 12 of layer 1, but layers have heads 0..11", e2);
        String e3 = assertThrows(LacunaException.class, () -> PlanFile.fromYaml(base + "- {layer: 1, head: 2, method: topk, params: {k: 0}}\n", "p.yaml")).getMessage();
        assertEquals("p.yaml: plan entry 0 (layer 1, head 2): topk: k must be > 0, got 0", e3);
        String e4 = assertThrows(LacunaException.class, () -> PlanFile.fromYaml("format: other\n", "p.yaml")).getMessage();
        assertTrue(e4.startsWith("p.yaml: format must be lacuna-attention-plan/1"), e4);
        // a later version of the format, from a later Lacuna: one line naming both
        String e6 = assertThrows(LacunaException.class, () -> PlanFile.fromYaml(base.replace("plan/1", "plan/2") + "lacuna_version: 9.0.0\n", "p.yaml")).getMessage();
        assertEquals("p.yaml: attention plan format lacuna-attention-plan/2, written by Lacuna 9.0.0; this Lacuna (" + dev.lacuna.Version.get()
                + ") reads lacuna-attention-plan/1 (use the Lacuna that wrote it, or calibrate again)", e6);
        // a written plan records the Lacuna that wrote it, and reads back
        String yaml = PlanFile.toYaml(PlanFile.fromYaml(base + "- {layer: 1, head: 2, method: dense}\n", "p.yaml"));
        assertTrue(yaml.contains("lacuna_version: " + dev.lacuna.Version.get()), yaml);
        assertEquals(1, PlanFile.fromYaml(yaml, "again.yaml").entries().size());
        SparsePlan big = PlanFile.fromYaml(base.replace("layers: 6", "layers: 8") + "- {layer: 7, head: 0, method: dense}\n", "p.yaml");
        String e5 = assertThrows(LacunaException.class, () -> big.checkFits(6, 12)).getMessage();
        assertEquals("plan is for 8 layers, but the model has 6 (layers 0..5)", e5);
        assertThrows(LacunaException.class, () -> PlanFile.read(Path.of("no/such/plan.yaml")));
    }
}
