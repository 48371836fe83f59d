// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import static dev.lacuna.sparse.CsrLinearTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.lacuna.LacunaException;

class SparsityPatternTest {
    @Test
    void recipeSpellingsAreParsedAndValidated() {
        assertEquals("pattern 4:2: N must be < M", assertThrows(LacunaException.class, () -> SparsityPattern.parse("4:2")).getMessage());
        assertThrows(LacunaException.class, () -> SparsityPattern.parse("2:2"));
        assertThrows(LacunaException.class, () -> SparsityPattern.parse("0:4"));
        assertThrows(LacunaException.class, () -> SparsityPattern.parse("block:0x4"));
        assertThrows(LacunaException.class, () -> SparsityPattern.parse("2-4"));
        LacunaException e = assertThrows(LacunaException.class, () -> new SparsityPattern.NofM(2, 8).check("enc.x", 4, 12));
        assertTrue(e.getMessage().contains("does not divide the 12 inputs of enc.x"), e.getMessage());
        assertThrows(LacunaException.class, () -> new SparsityPattern.Block(3, 4).check("enc.x", 8, 8));
        assertEquals(new SparsityPattern.NofM(2, 4), SparsityPattern.parse("2:4"));
        assertEquals(new SparsityPattern.Block(4, 1), SparsityPattern.parse("block:4x1"));
        assertEquals("block:4x1", SparsityPattern.parse("block:4x1").spelling());
        assertEquals(SparsityPattern.UNSTRUCTURED, SparsityPattern.parse("unstructured"));
    }

    @Test
    void kernelBenchmarkSpellingsCarryTheKernelsLimits() {
        assertEquals(new SparsityPattern.Unstructured(), KernelBenchmark.pattern("unstructured"));
        assertEquals(new SparsityPattern.NofM(2, 4), KernelBenchmark.pattern("2:4"));
        assertEquals(new SparsityPattern.Block(8, 1), KernelBenchmark.pattern(" block:8x1 "));
        assertEquals("block:4x4", KernelBenchmark.pattern("block:4x4").toString());
        assertEquals("4:8", KernelBenchmark.pattern("4:8").toString());
        assertMessage("sparsity pattern 'blocks:4x4' is not one of", () -> KernelBenchmark.pattern("blocks:4x4"));
        assertMessage("sparsity pattern '2-4' is not one of", () -> KernelBenchmark.pattern("2-4"));
        assertMessage("n must be in [1, m), got 5:4", () -> KernelBenchmark.pattern("5:4"));
    }
}
