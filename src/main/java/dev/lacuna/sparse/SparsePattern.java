package dev.lacuna.sparse;

import dev.lacuna.LacunaException;

/**
 * The shape of a sparsity mask on a weight W [N, K] (out, in): which entries may be non-zero.
 * Written as {@code unstructured}, {@code n:m} (e.g. {@code 2:4}: at most n non-zeros in every
 * group of m consecutive inputs of a row) or {@code block:RxC} (whole R x C blocks kept or pruned).
 */
public sealed interface SparsePattern {
    /** Any entry may be pruned. */
    record Unstructured() implements SparsePattern {
        @Override
        public String toString() {
            return "unstructured";
        }
    }

    /**
     * At most {@code n} non-zeros in each group of {@code m} consecutive columns along K
     * (the Ampere "2:4" structure: Mishra et al. 2021, "Accelerating Sparse Deep Neural Networks").
     */
    record NOfM(int n, int m) implements SparsePattern {
        public NOfM {
            if (m < 2 || m > NmLinear.MAX_M) throw new LacunaException("N:M pattern: m must be in [2, " + NmLinear.MAX_M + "], got " + m);
            if (n < 1 || n >= m) throw new LacunaException("N:M pattern: n must be in [1, m), got " + n + ":" + m);
        }

        /** The fraction of zeros the pattern implies, 1 - n/m. */
        public double sparsity() {
            return 1.0 - (double) n / m;
        }

        @Override
        public String toString() {
            return n + ":" + m;
        }
    }

    /** Whole blocks of {@code rows} output rows x {@code cols} input columns are kept or pruned. */
    record Block(int rows, int cols) implements SparsePattern {
        public Block {
            if (rows < 1 || cols < 1 || rows > BlockCsrLinear.MAX_BLOCK || cols > BlockCsrLinear.MAX_BLOCK) {
                throw new LacunaException("block pattern: block sides must be in [1, " + BlockCsrLinear.MAX_BLOCK + "], got " + rows + "x" + cols);
            }
        }

        @Override
        public String toString() {
            return "block:" + rows + "x" + cols;
        }
    }

    /** Parses {@code unstructured}, {@code n:m} or {@code block:RxC}. */
    static SparsePattern parse(String s) {
        String t = s.strip();
        if (t.equals("unstructured")) return new Unstructured();
        try {
            if (t.startsWith("block:")) {
                String[] rc = t.substring("block:".length()).split("x", -1);
                if (rc.length == 2) return new Block(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
            } else {
                String[] nm = t.split(":", -1);
                if (nm.length == 2) return new NOfM(Integer.parseInt(nm[0]), Integer.parseInt(nm[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new LacunaException("sparsity pattern '" + s + "' is not one of: unstructured, N:M (e.g. 2:4), block:RxC (e.g. block:4x4)");
    }
}
