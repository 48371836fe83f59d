// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;
import dev.lacuna.VectorPaths;
import dev.lacuna.kernel.Int8Weight;
import dev.lacuna.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

import static dev.lacuna.sparse.SparseTesting.ONE;
import static dev.lacuna.sparse.SparseTesting.TOKENS;
import static dev.lacuna.sparse.SparseTesting.TWO;
import static dev.lacuna.sparse.SparseTesting.check;
import static dev.lacuna.sparse.SparseTesting.randomBias;
import static dev.lacuna.sparse.SparseTesting.randomWeight;
import static dev.lacuna.sparse.SparseTesting.randomX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CSR with int8 values and per-row scales: the vector kernels against the scalar reference and fp32 CSR. */
@VectorPaths
class CsrInt8LinearTest {
    private static FloatTensor masked(int n, int k, double sparsity, long seed) {
        return MaskSelection.pruneByMagnitude(randomWeight(n, k, seed), new SparsityPattern.Unstructured(), sparsity);
    }

    @Test
    void isCsrOnTheDequantizedWeightBitForBit() {
        int[][] shapes = {{1, 1}, {37, 29}, {50, 67}, {16, 16}, {17, 33}, {64, 130}};
        SparseProducts vector = SparseProducts.vector() != null ? SparseProducts.vector() : SparseProducts.scalar();
        for (int[] s : shapes) {
            for (double sparsity : new double[] {0.5, 0.9}) {
                FloatTensor w = masked(s[0], s[1], sparsity, s[0] * 31L + s[1]);
                FloatTensor b = randomBias(s[0], 7);
                CsrInt8Linear q = CsrInt8Linear.fromDense(w, b);
                FloatTensor deq = Int8Weight.quantize(w).dequantize();
                assertArrayEquals(Int8Weight.quantize(w).scales(), q.scales());
                // vector vs scalar, threads, apply(), and against the double product of W'
                check(q, deq, b);
                CsrLinear fp32 = CsrLinear.fromDense(deq, b);
                for (int tokens : TOKENS) {
                    float[] x = randomX(tokens, s[1], tokens);
                    float[] want = SparseTesting.run(fp32, SparseProducts.scalar(), ONE, x, tokens);
                    assertArrayEquals(want, SparseTesting.run(q, vector, TWO, x, tokens), s[0] + "x" + s[1] + " T=" + tokens);
                }
            }
        }
    }

    @Test
    void keepsThePrunedStructureAndChecksItsArrays() {
        FloatTensor w = masked(21, 40, 0.7, 5);
        CsrInt8Linear q = CsrInt8Linear.fromDense(w, null);
        assertEquals(CsrLinear.fromDense(w, null).storedValues(), q.storedValues());
        assertArrayEquals(CsrLinear.fromDense(w, null).columnIndices(), q.columnIndices());
        CsrInt8Linear back = CsrInt8Linear.of(21, 40, q.rowPointers(), q.columnIndices(), q.int8Values(), q.scales(), null);
        assertEquals(q.weight(), back.weight());
        byte[] bad = q.int8Values();
        bad[3] = Byte.MIN_VALUE;
        assertTrue(assertThrows(LacunaException.class, () -> CsrInt8Linear.of(21, 40, q.rowPointers(), q.columnIndices(), bad, q.scales(), null))
                .getMessage().contains("-128"));
        assertThrows(LacunaException.class, () -> CsrInt8Linear.of(21, 40, q.rowPointers(), q.columnIndices(), q.int8Values(), new float[20], null));
    }
}
