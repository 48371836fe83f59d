// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.sparse.SparsityPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class RecipeTest {
    private static String error(String yaml) {
        return assertThrows(LacunaException.class, () -> Recipe.parse(yaml)).getMessage();
    }

    @Test
    void parsesTheListForm() {
        Recipe r = Recipe.parse("- prune: {method: sparsegpt, sparsity: 0.5, pattern: \"2:4\", targets: [\"re:.*intermediate.*\"], ignore: [\"encoder.layer.0.intermediate.dense\"]}");
        assertEquals("recipe", r.name());
        PruneModifier m = r.modifiers().get(0);
        assertEquals(PruneModifier.Method.SPARSEGPT, m.method());
        assertEquals(0.5, m.sparsity());
        assertEquals(new SparsityPattern.NofM(2, 4), m.pattern());
        assertEquals(List.of("re:.*intermediate.*"), m.targets());
        assertEquals(List.of("encoder.layer.0.intermediate.dense"), m.ignore());
        assertEquals(0.01, m.dampening());
        assertEquals(128, m.blockSize());
        assertFalse(m.dsnot());
    }

    @Test
    void knowsWhetherItNeedsCalibration() {
        assertFalse(Recipe.parse("- prune: {method: magnitude, sparsity: 0.5}\n- prune: {method: random, sparsity: 0.5}").needsCalibration());
        assertTrue(Recipe.parse("- prune: {method: magnitude, sparsity: 0.5, dsnot: true}").needsCalibration());
        assertTrue(Recipe.parse("- prune: {method: magnitude, sparsity: 0.5}\n- prune: {method: wanda, sparsity: 0.5}").needsCalibration());
    }

    @Test
    void nOfMImpliesTheSparsity() {
        assertEquals(0.5, Recipe.parse("- prune: {method: wanda, pattern: \"4:8\"}").modifiers().get(0).sparsity());
        assertEquals(0.75, Recipe.parse("- prune: {method: wanda, pattern: \"1:4\"}").modifiers().get(0).sparsity());
    }

    @Test
    void unknownKeysAreNamed() {
        assertTrue(error("- prune: {method: wanda, sparsty: 0.5}").startsWith("recipe: modifier 1: unknown key 'sparsty'"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5}\n- prune: {method: wanda, sparsity: 0.5, owl_m: 3}")
                .startsWith("recipe: modifier 2: key 'owl_m' applies only with owl: true"));
        assertTrue(error("name: x\nmodifers: []").startsWith("recipe: unknown key 'modifers'"));
        assertTrue(error("- quantize: {bits: 4}").startsWith("recipe: modifier 1: unknown key 'bits' (known: weights, scheme, targets, ignore)"));
        assertTrue(error("- quantise: {weights: int8}").startsWith("recipe: modifier 1: unknown modifier 'quantise' (expected prune, gradual, distill or quantize)"));
    }

    @Test
    void quantizeIsAStepAfterThePruneSteps() {
        Recipe q = Recipe.parse("- quantize: {weights: int8, scheme: per_channel}");
        assertEquals(List.of(), q.modifiers());
        assertEquals(QuantizeModifier.int8PerChannel(), q.quantize());
        assertFalse(q.needsCalibration());
        Recipe both = Recipe.parse("- prune: {method: magnitude, sparsity: 0.5}\n- quantize: {weights: int8, ignore: [\"re:.*output.*\"]}");
        assertEquals(1, both.modifiers().size());
        assertEquals(List.of("re:.*output.*"), both.quantize().ignore());
        assertEquals(both, Recipe.parse(both.toYaml()));
        assertEquals(q, Recipe.parse(q.toYaml()));
        assertTrue(error("- quantize: {weights: int8}\n- prune: {method: magnitude, sparsity: 0.5}")
                .startsWith("recipe: modifier 2: quantize must be the last step"));
        assertEquals("recipe: modifier 1: weights must be int8, got 'int4'", error("- quantize: {weights: int4}"));
        assertEquals("recipe: modifier 1: scheme must be per_channel, got 'per_tensor'", error("- quantize: {weights: int8, scheme: per_tensor}"));
        assertEquals("recipe: modifier 1: weights is missing (int8)", error("- quantize: {scheme: per_channel}"));
        assertEquals("recipe: no modifiers", error("modifiers: []"));
        List<String> names = List.of("encoder.layer.0.attention.output.dense", "encoder.layer.0.output.dense", "encoder.layer.0.intermediate.dense");
        assertEquals(List.of("encoder.layer.0.intermediate.dense"), both.quantize().resolve(names));
    }

    @Test
    void impossibleValuesAreNamed() {
        assertEquals("recipe: modifier 1: sparsity must be in [0,1), got 1.2", error("- prune: {method: wanda, sparsity: 1.2}"));
        assertEquals("recipe: modifier 1: sparsity must be in [0,1), got 1", error("- prune: {method: wanda, sparsity: 1}"));
        assertEquals("recipe: modifier 1: pattern 4:2: N must be < M", error("- prune: {method: wanda, pattern: \"4:2\"}"));
        assertTrue(error("- prune: {method: wanda, pattern: 2:4}").contains("quote N:M patterns"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.7, pattern: \"2:4\"}").contains("sparsity 0.7 does not match pattern 2:4"));
        assertTrue(error("- prune: {method: obs, sparsity: 0.5}").contains("method 'obs' is not one of"));
        assertTrue(error("- prune: {sparsity: 0.5}").contains("method is missing"));
        assertTrue(error("- prune: {method: wanda}").contains("sparsity is missing"));
        assertTrue(error("- prune: {method: wanda, sparsity: half}").contains("sparsity must be a number, got 'half'"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, dampening: 0.1}").contains("key 'dampening' applies only with method sparsegpt"));
        assertTrue(error("- prune: {method: sparsegpt, sparsity: 0.5, block_size: 0}").contains("block_size must be in [1,"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, scope: global}").contains("scope global applies to method magnitude only"));
        assertTrue(error("- prune: {method: wanda, pattern: \"2:4\", owl: true}").contains("owl applies to unstructured sparsity only"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, pattern: \"block:4x4\", dsnot: true}").contains("dsnot supports unstructured and N:M"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, layerwise_ratio: lamp}").contains("layerwise_ratio 'lamp'"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, targets: [\"re:(\"]}").contains("targets: bad regex 're:('"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, owl: yes please}").contains("owl must be true or false"));
        assertTrue(error("- prune: {method: wanda, sparsity: 0.5, sparsity: 0.6}").startsWith("recipe: invalid YAML"));
        assertTrue(error("- prune: {method: wanda").startsWith("recipe: invalid YAML"));
        assertTrue(error("").contains("empty document"));
        assertTrue(error("modifiers: []").contains("no modifiers"));
    }

    @Test
    void roundTripsThroughYaml() {
        Recipe r = Recipe.parse("""
                name: "mixed: \\"quoted\\" name"
                description: |
                  two steps,
                  second line
                modifiers:
                  - prune: {method: wanda, sparsity: 0.55, targets: ["re:.*attention.*"], ignore: ["encoder.layer.0.attention.self.key"], owl: true, owl_lambda: 0.05, owl_m: 7, dsnot: true, dsnot_iterations: 10, dsnot_threshold: 0.01, seed: -3}
                  - prune: {method: sparsegpt, pattern: "4:8", dampening: 0.02, block_size: 64}
                  - prune: {method: random, sparsity: 0.3, layerwise_ratio: erk, seed: 9}
                  - prune: {method: magnitude, sparsity: 0.1, scope: global}
                  - prune: {method: magnitude, sparsity: 0.25, pattern: "block:4x2"}
                """);
        String yaml = r.toYaml();
        assertEquals(r, Recipe.parse(yaml), yaml);
        assertEquals(yaml, Recipe.parse(yaml).toYaml());
        assertEquals(5, r.modifiers().size());
        assertEquals("two steps,\nsecond line\n", r.description());
    }

    @Test
    void shippedRecipesLoadAndRoundTrip() throws IOException {
        Path dir = Path.of("recipes");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "recipes: " + files);
        for (Path f : files) {
            Recipe r = Recipe.load(f);
            assertEquals(f.getFileName().toString().replace(".yaml", ""), r.name(), f.toString());
            assertFalse(r.description().isBlank(), f + " has no description");
            assertEquals(r, Recipe.parse(r.toYaml()), f.toString());
        }
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("my-recipe.yaml");
        Files.writeString(f, "- prune: {method: magnitude, sparsity: 0.5}\n");
        assertEquals("my-recipe", Recipe.load(f).name());
        Files.writeString(f, "- prune: {method: magnitude, sparsity: 2}\n");
        String msg = assertThrows(LacunaException.class, () -> Recipe.load(f)).getMessage();
        assertEquals(f + ": recipe: modifier 1: sparsity must be in [0,1), got 2", msg);
        assertTrue(assertThrows(LacunaException.class, () -> Recipe.load(dir.resolve("none.yaml"))).getMessage().contains("no such recipe file"));
    }
}
