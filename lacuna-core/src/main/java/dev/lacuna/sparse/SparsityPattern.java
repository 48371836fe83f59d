// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.LacunaException;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where zeros may sit in a weight W [N, K] (out, in): anywhere ({@code unstructured}), N of every M
 * consecutive inputs of a row kept ({@code N:M}), or whole R x C blocks ({@code block:RxC}).
 * {@link #spelling()} (and {@code toString}) is the form recipes, reports and the CLI write.
 *
 * <p>The records check what makes a pattern at all; what a kernel can store is the kernel's check
 * ({@link NmLinear#checkPattern}, {@link BlockCsrLinear#checkBlock}).
 */
public sealed interface SparsityPattern {
    /** Checks that a layer of {@code rows} x {@code cols} can carry this pattern; the message names the layer. */
    void check(String layer, int rows, int cols);

    /** The canonical recipe spelling: {@code unstructured}, {@code 2:4}, {@code block:4x4}. */
    String spelling();

    /** Any zeros anywhere. */
    record Unstructured() implements SparsityPattern {
        @Override
        public void check(String layer, int rows, int cols) {}

        @Override
        public String spelling() {
            return "unstructured";
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /**
     * Keep {@code n} of every {@code m} consecutive inputs of each output row (the Ampere 2:4 layout
     * when n = 2, m = 4: Mishra et al. 2021, "Accelerating Sparse Deep Neural Networks"). Sparsity is
     * 1 - n / m.
     */
    record NofM(int n, int m) implements SparsityPattern {
        public NofM {
            if (m < 2) throw new LacunaException("pattern " + n + ":" + m + ": M must be >= 2");
            if (n < 1) throw new LacunaException("pattern " + n + ":" + m + ": N must be >= 1");
            if (n >= m) throw new LacunaException("pattern " + n + ":" + m + ": N must be < M");
        }

        /** The fraction of zeros the pattern implies, 1 - n/m. */
        public double sparsity() {
            return 1.0 - (double) n / m;
        }

        @Override
        public void check(String layer, int rows, int cols) {
            if (cols % m != 0) throw new LacunaException("pattern " + spelling() + ": M = " + m + " does not divide the " + cols + " inputs of " + layer);
        }

        @Override
        public String spelling() {
            return n + ":" + m;
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    /** Whole blocks of {@code rows} outputs x {@code cols} inputs are kept or pruned together. */
    record Block(int rows, int cols) implements SparsityPattern {
        public Block {
            if (rows < 1 || cols < 1) throw new LacunaException("pattern block:" + rows + "x" + cols + ": block sides must be >= 1");
        }

        @Override
        public void check(String layer, int n, int k) {
            if (n % rows != 0 || k % cols != 0) {
                throw new LacunaException("pattern " + spelling() + " does not tile " + layer + " of shape [" + n + ", " + k + "]");
            }
        }

        @Override
        public String spelling() {
            return "block:" + rows + "x" + cols;
        }

        @Override
        public String toString() {
            return spelling();
        }
    }

    SparsityPattern UNSTRUCTURED = new Unstructured();

    Pattern N_OF_M = Pattern.compile("(\\d+):(\\d+)");
    Pattern BLOCK = Pattern.compile("block:(\\d+)x(\\d+)");

    /** Parses {@code unstructured}, {@code N:M} or {@code block:RxC}, as a recipe's {@code pattern} does. */
    static SparsityPattern parse(String s) {
        if (s == null) throw new LacunaException("pattern is missing");
        try {
            return read(s, NofM::new, Block::new)
                    .orElseThrow(() -> new LacunaException("pattern '" + s + "' is not one of unstructured, N:M (e.g. 2:4), block:RxC (e.g. block:4x4)"));
        } catch (NumberFormatException e) {
            throw new LacunaException("pattern '" + s + "': number too large");
        }
    }

    /**
     * Reads the three spellings (surrounding blanks ignored), handing the numbers of N:M to {@code nofM}
     * and of block:RxC to {@code block}, which check them; empty when {@code s} is none of the forms.
     *
     * @throws NumberFormatException when a number does not fit an int
     */
    static Optional<SparsityPattern> read(String s, BiFunction<Integer, Integer, SparsityPattern> nofM,
                                          BiFunction<Integer, Integer, SparsityPattern> block) {
        String t = s.strip();
        if (t.equals("unstructured")) return Optional.of(UNSTRUCTURED);
        Matcher m = N_OF_M.matcher(t);
        if (m.matches()) return Optional.of(nofM.apply(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        m = BLOCK.matcher(t);
        if (m.matches()) return Optional.of(block.apply(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        return Optional.empty();
    }
}
