// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna;

import dev.lacuna.kernel.internal.Species;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks tests of Vector API code paths: surefire runs them once at the CPU's preferred width and
 * again with {@code -Dlacuna.vectorsize=256} and {@code =128} (pom.xml, executions vectorsize-256 and
 * vectorsize-128), like Lucene's {@code tests.vectorsize}. A narrowed run whose width is the
 * preferred one (256 on an AVX2 machine) would repeat the first run, so its tests are skipped.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("vector")
@ExtendWith(VectorPaths.SkipWhenNotNarrower.class)
public @interface VectorPaths {
    final class SkipWhenNotNarrower implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (Species.forced() && Species.bits() == preferred) {
                return ConditionEvaluationResult.disabled("-D" + Species.VECTOR_SIZE_PROPERTY + "=" + preferred
                        + " is this CPU's preferred width, which the default run tested");
            }
            return ConditionEvaluationResult.enabled(Species.bits() + "-bit vectors");
        }
    }
}
