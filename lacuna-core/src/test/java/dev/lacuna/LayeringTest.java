// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine reads bottom-up: no two packages use each other, directly or through others, and each
 * package uses only packages of lower layers in the reading order that docs/ARCHITECTURE.md draws.
 */
class LayeringTest {
    /** The reading order, bottom first. A package may use only packages of earlier rows. */
    static final List<List<String>> LAYERS = List.of(
            List.of(""),                                        // LacunaException
            List.of("tensor", "io", "plot", "concurrent"),
            List.of("kernel.internal"),
            List.of("kernel", "recovery"),                      // recovery: sparse solvers on double[] (Species, Parallel)
            List.of("tokenizer", "sparse", "attention"),
            List.of("model"),
            List.of("model.bert"),
            List.of("encoder", "train"),                        // train: forward/backward pairs
            List.of("format"),
            List.of("peer"),
            List.of("load"),
            List.of("eval"),
            List.of("bench"),
            List.of("prune", "retrieval", "attention.calibrate"),
            List.of("sae", "finetune"),                        // finetune: the distill step's training loop
            List.of("sparsify"),
            List.of("serve"),
            List.of("cli"));

    /** The tree checked; {@code -Dlacuna.layering.root=OTHER/src/main/java} checks another checkout. */
    private static final Path MAIN = Path.of(System.getProperty("lacuna.layering.root", "src/main/java"));

    static String full(String p) {
        return p.isEmpty() ? "dev.lacuna" : "dev.lacuna." + p;
    }

    @Test
    void noPackageCycle() {
        List<List<String>> cycles = PackageGraph.read(MAIN).cycles();
        assertEquals(List.of(), cycles, "package cycles (each list uses itself through the others)");
    }

    @Test
    void everyPackageUsesOnlyLowerLayers() {
        PackageGraph g = PackageGraph.read(MAIN);
        Map<String, Integer> layer = new HashMap<>();
        for (int i = 0; i < LAYERS.size(); i++) for (String p : LAYERS.get(i)) layer.put(full(p), i);
        List<String> wrong = new ArrayList<>();
        for (var e : g.uses.entrySet()) {
            Integer from = layer.get(e.getKey());
            if (from == null) {
                wrong.add(e.getKey() + " has no place in LayeringTest.LAYERS (add it where it belongs)");
                continue;
            }
            for (var use : e.getValue().entrySet()) {
                Integer to = layer.get(use.getKey());
                if (to != null && to >= from) {
                    wrong.add(e.getKey() + " uses " + use.getKey() + " (layer " + to + " >= " + from + ") in " + use.getValue());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyPackageSaysWhatItOwnsAndMayUse() {
        List<String> missing = new ArrayList<>();
        for (String p : PackageGraph.read(MAIN).uses.keySet()) {
            Path info = MAIN.resolve(p.replace('.', '/')).resolve("package-info.java");
            if (!Files.isRegularFile(info)) missing.add(p);
        }
        assertEquals(List.of(), missing, "packages without package-info.java");
    }

    /** The check itself can fail: two packages that use each other through a third are a cycle. */
    @Test
    void aCycleThroughAThirdPackageIsFound(@TempDir Path dir) throws Exception {
        write(dir, "dev/lacuna/a/A.java", "package dev.lacuna.a;\nimport dev.lacuna.b.B;\nclass A { B b; }\n");
        write(dir, "dev/lacuna/b/B.java", "package dev.lacuna.b;\nclass B { dev.lacuna.c.C c; }\n");
        write(dir, "dev/lacuna/c/C.java", "package dev.lacuna.c;\n/** See {@link dev.lacuna.a.A}. */\nclass C {}\n");
        write(dir, "dev/lacuna/d/D.java", "package dev.lacuna.d;\nimport dev.lacuna.a.A;\nclass D {}\n");
        assertEquals(List.of(List.of("dev.lacuna.a", "dev.lacuna.b", "dev.lacuna.c")), PackageGraph.read(dir).cycles());
        write(dir, "dev/lacuna/c/C.java", "package dev.lacuna.c;\nclass C {}\n");
        assertTrue(PackageGraph.read(dir).cycles().isEmpty());
    }

    private static void write(Path dir, String file, String text) throws Exception {
        Path f = dir.resolve(file);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
    }
}
