// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.prune;

import dev.lacuna.LacunaException;
import dev.lacuna.prune.DistillModifier.Loss;
import dev.lacuna.train.LrSchedule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The {@code distill} recipe step: its settings, defaults, place among the steps, and the errors that name a problem. */
class DistillModifierTest {
    private static final String PRUNE = "  - prune: {method: wanda, sparsity: 0.5}\n";

    private static String recipe(String... steps) {
        StringBuilder sb = new StringBuilder("name: d\nmodifiers:\n");
        for (String s : steps) sb.append("  - ").append(s).append('\n');
        return sb.toString();
    }

    /** A prune step, then the distill step with {@code body}. */
    private static String distill(String body) {
        return recipe("prune: {method: wanda, sparsity: 0.5}", "distill: {" + body + "}");
    }

    private static String error(String yaml) {
        String msg = assertThrows(LacunaException.class, () -> Recipe.parse(yaml)).getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        return msg;
    }

    @Test
    void parsesTheStepWithItsDefaults() {
        Recipe r = Recipe.parse(distill("minutes: 60, losses: [embedding, squarehead], lr: 1e-3, batch: 32"));
        assertEquals(1, r.modifiers().size());
        assertNull(r.quantize());
        DistillModifier d = r.distill();
        assertEquals(60.0, d.minutes());
        assertNull(d.steps());
        assertEquals(List.of(Loss.EMBEDDING, Loss.SQUAREHEAD), d.losses());
        assertEquals(1e-3, d.lr());
        assertEquals(32, d.batch());
        assertEquals(DistillModifier.DEFAULT_WARMUP, d.warmup());
        assertEquals(LrSchedule.Shape.LINEAR, d.schedule());
        assertEquals(DistillModifier.DEFAULT_CLIP, d.clip());
        assertEquals(DistillModifier.DEFAULT_WEIGHT_DECAY, d.weightDecay());
        assertEquals(0, d.seed());
        assertEquals(DistillModifier.DEFAULT_MAX_TOKENS, d.maxTokens());
        assertFalse(d.trainEmbeddings());
        assertEquals(DistillModifier.of(60, List.of(Loss.EMBEDDING, Loss.SQUAREHEAD)), d);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        DistillModifier d = Recipe.parse(distill("minutes: 5")).distill();
        assertEquals(List.of(Loss.EMBEDDING), d.losses());
        assertEquals(DistillModifier.DEFAULT_LR, d.lr());
        assertEquals(DistillModifier.DEFAULT_BATCH, d.batch());
        assertEquals(1e-3, DistillModifier.DEFAULT_LR);
        assertEquals(32, DistillModifier.DEFAULT_BATCH);
        assertEquals(0.05, DistillModifier.DEFAULT_WARMUP);
        assertEquals(1.0, DistillModifier.DEFAULT_CLIP);
        assertEquals(0.01, DistillModifier.DEFAULT_WEIGHT_DECAY);
        assertEquals(128, DistillModifier.DEFAULT_MAX_TOKENS);
        assertEquals(DistillModifier.of(5, List.of(Loss.EMBEDDING)), d);
    }

    @Test
    void parsesEverySetting() {
        DistillModifier d = Recipe.parse(distill("minutes: 2.5, steps: 400, losses: [cosine, squarehead], lr: 3.0e-5, batch: 8, warmup: 0.1, "
                + "schedule: cosine, clip: 0, weight_decay: 0.0, seed: -7, max_tokens: 256, train_embeddings: true")).distill();
        assertEquals(new DistillModifier(2.5, 400L, List.of(Loss.COSINE, Loss.SQUAREHEAD), 3e-5, 8, 0.1, LrSchedule.Shape.COSINE, 0, 0, -7, 256, true), d);
        DistillModifier co = Recipe.parse(distill("minutes: 3, losses: [cosine, squarehead, cosent], cosent_weight: 0.2, batch: 9")).distill();
        assertEquals(List.of(Loss.COSINE, Loss.SQUAREHEAD, Loss.COSENT), co.losses());
        assertEquals(0.2, co.cosentWeight());
        assertEquals(4, co.cosentPairs(), "batch / 2 pairs");
        assertTrue(co.toYaml().endsWith(", cosent_weight: 0.2"), co.toYaml());
        assertEquals(0, d.cosentPairs());
        assertFalse(d.toYaml().contains("cosent"), d.toYaml());
        assertEquals(DistillModifier.DEFAULT_COSENT_WEIGHT, Recipe.parse(distill("minutes: 3, losses: [cosent]")).distill().cosentWeight());
        DistillModifier s = Recipe.parse(distill("steps: 10, losses: cosine, schedule: constant")).distill();
        assertNull(s.minutes());
        assertEquals(10L, s.steps());
        assertEquals(List.of(Loss.COSINE), s.losses());
        assertEquals(LrSchedule.Shape.CONSTANT, s.schedule());
        // an integer where a number is expected is fine
        assertEquals(1.0, Recipe.parse(distill("minutes: 1, lr: 1")).distill().lr());
    }

    @Test
    void roundTripsThroughYaml() {
        for (String body : List.of("minutes: 60, losses: [embedding, squarehead], lr: 1e-4, batch: 32",
                "steps: 3", "minutes: 0.5, steps: 100, losses: [squarehead, cosine, embedding], lr: 0.00002, warmup: 0, schedule: cosine, clip: 0.5, "
                        + "weight_decay: 0.1, seed: 12345678901, max_tokens: 8, train_embeddings: true")) {
            for (String tail : new String[] {"", "quantize: {weights: int8}"}) {
                String yaml = tail.isEmpty() ? distill(body) : recipe("prune: {method: wanda, sparsity: 0.5}", "distill: {" + body + "}", tail);
                Recipe r = Recipe.parse(yaml);
                String out = r.toYaml();
                assertEquals(r, Recipe.parse(out), out);
                assertEquals(out, Recipe.parse(out).toYaml());
                assertEquals(r.hashCode(), Recipe.parse(out).hashCode());
            }
        }
        Recipe dense = Recipe.parse(distill("minutes: 1"));
        assertNotEquals(dense, Recipe.parse(distill("minutes: 1, batch: 16")));
        assertNotEquals(dense, Recipe.parse(distill("minutes: 1, losses: [embedding, cosine]")));
    }

    @Test
    void distillMayBeFollowedByQuantize() {
        Recipe r = Recipe.parse(recipe("prune: {method: magnitude, sparsity: 0.5}", "prune: {method: wanda, sparsity: 0.6}",
                "distill: {steps: 5}", "quantize: {weights: int8}"));
        assertEquals(2, r.modifiers().size());
        assertEquals(5L, r.distill().steps());
        assertEquals(QuantizeModifier.int8PerChannel(), r.quantize());
        assertTrue(r.toYaml().indexOf("distill:") < r.toYaml().indexOf("quantize:"));
    }

    @Test
    void itsPlaceAmongTheStepsIsChecked() {
        assertEquals("recipe: modifier 1: distill needs a prune or gradual step before it (it trains the pruned model)",
                error(recipe("distill: {minutes: 1}")));
        assertEquals("recipe: modifier 1: distill needs a prune or gradual step before it (it trains the pruned model)",
                error(recipe("distill: {minutes: 1}", "prune: {method: wanda, sparsity: 0.5}")));
        assertTrue(error(recipe("prune: {method: wanda, sparsity: 0.5}", "distill: {minutes: 1}", "prune: {method: wanda, sparsity: 0.6}"))
                .startsWith("recipe: modifier 3: a prune step after distill"));
        assertTrue(error(recipe("prune: {method: wanda, sparsity: 0.5}", "distill: {minutes: 1}", "distill: {minutes: 2}"))
                .startsWith("recipe: modifier 3: a distill step after distill"));
        assertEquals("recipe: modifier 3: quantize must be the last step (a distill step follows it)",
                error(recipe("prune: {method: wanda, sparsity: 0.5}", "quantize: {weights: int8}", "distill: {minutes: 1}")));
        assertEquals("recipe: modifier 2: quantize must be the last step (a distill step follows it)",
                error(recipe("quantize: {weights: int8}", "distill: {minutes: 1}")));
        // the record says so too
        LacunaException e = assertThrows(LacunaException.class,
                () -> new Recipe("x", "", List.of(), DistillModifier.of(1, List.of(Loss.EMBEDDING)), QuantizeModifier.int8PerChannel()));
        assertEquals("recipe: a distill step needs a prune or gradual step before it", e.getMessage());
    }

    @Test
    void unknownKeysListTheKnownOnes() {
        assertEquals("recipe: modifier 2: unknown key 'epochs' (known: minutes, steps, losses, lr, batch, warmup, schedule, clip, "
                + "weight_decay, seed, max_tokens, train_embeddings, masks, srste_decay, cosent_weight)", error(distill("minutes: 1, epochs: 3")));
        assertEquals("recipe: modifier 2: lr has no value", error(distill("minutes: 1, lr: ")));
        assertEquals("recipe: modifier 2: unknown masks 'movement' (known: fixed, sr-ste)", error(distill("minutes: 1, masks: movement")));
        assertEquals("recipe: modifier 2: srste_decay must be in [0, 1), got -1.0", error(distill("minutes: 1, srste_decay: -1.0")));
        assertEquals("recipe: modifier 2: cosent_weight must be in (0, 100], got 0.0", error(distill("minutes: 1, losses: [cosine, cosent], cosent_weight: 0")));
        assertTrue(error(distill("minutes: 1, losses: [embedding, kl]")).startsWith("recipe: modifier 2: unknown loss 'kl' (known: embedding, cosine, squarehead, cosent)"));
        assertEquals("recipe: modifier 2: unknown schedule 'step' (known: linear, cosine, constant)", error(distill("minutes: 1, schedule: step")));
    }

    @Test
    void impossibleValuesAreNamed() {
        String p = "recipe: modifier 2: ";
        assertEquals(p + "give minutes or steps (or both: steps, stopped at the time budget)", error(distill("lr: 1e-4")));
        assertEquals(p + "minutes must be in (0, 10080], got 0.0", error(distill("minutes: 0")));
        assertEquals(p + "minutes must be in (0, 10080], got -5.0", error(distill("minutes: -5")));
        assertTrue(error(distill("minutes: .nan")).startsWith(p + "minutes must be in (0, 10080]"));
        assertEquals(p + "steps must be in [1, 100000000], got 0", error(distill("steps: 0")));
        assertEquals(p + "lr must be in (0, 1], got 0.0", error(distill("minutes: 1, lr: 0")));
        assertEquals(p + "lr must be in (0, 1], got 1.5", error(distill("minutes: 1, lr: 1.5")));
        assertEquals(p + "batch must be in [1, 4096], got 0", error(distill("minutes: 1, batch: 0")));
        assertEquals(p + "warmup must be a fraction of the steps in [0, 1), got 1.0", error(distill("minutes: 1, warmup: 1.0")));
        assertEquals(p + "warmup must be a fraction of the steps in [0, 1), got -0.1", error(distill("minutes: 1, warmup: -0.1")));
        assertEquals(p + "clip must be >= 0 (0: off), got -1.0", error(distill("minutes: 1, clip: -1")));
        assertTrue(error(distill("minutes: 1, clip: .inf")).startsWith(p + "clip must be >= 0"));
        assertEquals(p + "weight_decay must be in [0, 1), got 1.0", error(distill("minutes: 1, weight_decay: 1")));
        assertEquals(p + "max_tokens must be in [8, 4096], got 4", error(distill("minutes: 1, max_tokens: 4")));
        assertEquals(p + "losses is empty (embedding, cosine, squarehead, cosent)", error(distill("minutes: 1, losses: []")));
    }

    @Test
    void wrongTypesAreNamed() {
        String p = "recipe: modifier 2: ";
        assertEquals(p + "lr must be a number, got 'fast'", error(distill("minutes: 1, lr: fast")));
        assertEquals(p + "lr must be a number, got '1e-4'", error(distill("minutes: 1, lr: \"1e-4\"")));
        assertEquals(p + "minutes must be a number, got 'an hour'", error(distill("minutes: an hour")));
        assertEquals(p + "batch must be an integer, got '32.5'", error(distill("minutes: 1, batch: 32.5")));
        assertEquals(p + "steps must be an integer, got 'many'", error(distill("steps: many")));
        assertEquals(p + "train_embeddings must be true or false, got 'sometimes'", error(distill("minutes: 1, train_embeddings: sometimes")));
        assertEquals(p + "distill must be a mapping of settings, got a list", error(recipe("prune: {method: wanda, sparsity: 0.5}", "distill: [1, 2]")));
        assertTrue(error(distill("minutes: 1, losses: {embedding: 1}")).startsWith(p + "losses must be a list"));
    }

    @Test
    void theRecordChecksItsArguments() {
        assertThrows(LacunaException.class, () -> new DistillModifier(null, null, List.of(Loss.EMBEDDING), 1e-4, 32, 0, LrSchedule.Shape.LINEAR, 1, 0, 0, 128, false));
        LacunaException twice = assertThrows(LacunaException.class,
                () -> new DistillModifier(1.0, null, List.of(Loss.COSINE, Loss.COSINE), 1e-4, 32, 0, LrSchedule.Shape.LINEAR, 1, 0, 0, 128, false));
        assertTrue(twice.getMessage().startsWith("losses lists a loss twice"), twice.getMessage());
        assertThrows(LacunaException.class, () -> new DistillModifier(1.0, null, List.of(Loss.COSINE), 1e-4, 32, 0, null, 1, 0, 0, 128, false));
        assertThrows(LacunaException.class, () -> new DistillModifier(1.0, null, List.of(Loss.COSINE), Double.NaN, 32, 0, LrSchedule.Shape.LINEAR, 1, 0, 0, 128, false));
        for (Loss l : Loss.values()) assertEquals(l, Loss.parse(l.spelling()));
        List<Loss> given = new java.util.ArrayList<>(List.of(Loss.EMBEDDING));
        DistillModifier d = DistillModifier.of(1, given);
        given.add(Loss.COSINE);
        assertEquals(List.of(Loss.EMBEDDING), d.losses(), "a copy, not the caller's list");
        assertThrows(UnsupportedOperationException.class, () -> d.losses().add(Loss.COSINE));
    }
}
