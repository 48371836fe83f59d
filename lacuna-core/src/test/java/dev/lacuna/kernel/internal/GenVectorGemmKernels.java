// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.GeneratedSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the register-blocked micro-kernels of both Vector API GEMMs, which share one pattern: R rows
 * x V vectors of accumulators in locals (so that C2 keeps them in registers), per step p V loads of
 * the other operand's row p and, per row, one broadcast feeding V FMAs.
 * <ul>
 * <li>src/main/java/dev/lacuna/kernel/internal/VectorGemmKernels.java for {@link VectorGemm} (packed
 *     panels of 4 or 2 vectors, 1..MR rows);</li>
 * <li>src/main/java/dev/lacuna/kernel/internal/VectorRawGemmKernels.java for {@link VectorRawGemm}
 *     (row-major B, 4 or 1 rows x 1..4 vectors, each also with its last vector masked).</li>
 * </ul>
 * The drivers (tiling, dispatch, epilogue) are hand-written. After changing a pattern, run
 * {@code java src/test/java/dev/lacuna/kernel/internal/GenVectorGemmKernels.java} from the
 * lacuna-core/ directory; {@code GeneratedSourcesTest} fails while a checked-in file differs.
 */
public final class GenVectorGemmKernels {
    private GenVectorGemmKernels() {}

    public static final GeneratedSource PACKED = new GeneratedSource(
            Path.of("src/main/java/dev/lacuna/kernel/internal/VectorGemmKernels.java"), GenVectorGemmKernels.class, GenVectorGemmKernels::packed);
    public static final GeneratedSource RAW = new GeneratedSource(
            Path.of("src/main/java/dev/lacuna/kernel/internal/VectorRawGemmKernels.java"), GenVectorGemmKernels.class, GenVectorGemmKernels::raw);

    /** Rows per micro-kernel (VectorGemm.MR) and the panel widths in vectors VectorGemm picks from. */
    private static final int MR = 6;
    private static final int[] PANEL_VECTORS = {4, 2};

    public static void main(String[] args) throws IOException {
        PACKED.write();
        RAW.write();
    }

    private static String plus(String base, int v, String unit) {
        return v == 0 ? base : base + " + " + v + " * " + unit;
    }

    /**
     * The shared body: row offsets, zeroed accumulators cRV, and the loop over p that loads V vectors
     * bV of the other operand and FMAs the broadcast of each row's element p into them.
     *
     * @param row   the broadcast operand, its offset and row stride: {"x", "xo", "k"} gives x0 = xo,
     *              x1 = xo + 1 * k, ... and broadcasts x[x0 + p], x[x1 + p], ...
     * @param step  the first statement per p (the other operand's row offset)
     * @param load  per vector v: the right-hand side of bv's load
     * @param bcast the broadcast's local name
     */
    private static void body(GeneratedSource.Lines out, int rows, int vecs, String[] row, String step, String[] load, String bcast) {
        body(out, rows, vecs, row, step, load, bcast, null, "0", "k");
    }

    /**
     * As above, with accumulator r, v starting from {@code init.apply(r, v)} (null: zero) and p running
     * over [from, to).
     */
    private static void body(GeneratedSource.Lines out, int rows, int vecs, String[] row, String step, String[] load, String bcast,
                             java.util.function.BiFunction<Integer, Integer, String> init, String from, String to) {
        for (int r = 0; r < rows; r++) out.add("        int " + row[0] + r + " = " + plus(row[1], r, row[2]) + ";");
        for (int r = 0; r < rows; r++) {
            List<String> zs = new ArrayList<>();
            for (int v = 0; v < vecs; v++) zs.add("c" + r + v + " = " + (init == null ? "FloatVector.zero(S)" : init.apply(r, v)));
            out.add("        FloatVector " + String.join(", ", zs) + ";");
        }
        out.add("        for (int p = " + from + "; p < " + to + "; p++) {");
        out.add("            " + step);
        for (int v = 0; v < vecs; v++) out.add("            FloatVector b" + v + " = " + load[v] + ";");
        out.add("            FloatVector " + bcast + ";");
        for (int r = 0; r < rows; r++) {
            out.add("            " + bcast + " = FloatVector.broadcast(S, " + row[0] + "[" + row[0] + r + " + p]);");
            List<String> fmas = new ArrayList<>();
            for (int v = 0; v < vecs; v++) fmas.add("c" + r + v + " = " + bcast + ".fma(b" + v + ", c" + r + v + ");");
            out.add("            " + String.join(" ", fmas));
        }
        out.add("        }");
    }

    /**
     * {@code rows} rows of x times one packed panel of {@code nv} vectors: kRvV from zero (the first K
     * block), kRvVc continuing the sums in y (later blocks). Two methods, not one with a choice of
     * start: with {@code go ? load : zero} both taken (K blocked), C2 merges the two starts in a phi
     * and the whole kernel ran at half speed on Zen 3 (4x2, W 384x1536: 42-44 GFLOP/s blocked at any
     * KC against 86-89 unblocked; docs/BENCHMARKS.md).
     */
    private static void packedKernel(GeneratedSource.Lines out, int rows, int nv, boolean continuing) {
        out.add("    /**");
        out.add("     * " + rows + " rows x one panel of " + nv + " vectors (" + rows * nv + " accumulators), steps p in [p0, p1):");
        if (continuing) {
            out.add("     * continuing the partial sums left in y by the K block before, so that each output is one FMA");
            out.add("     * chain over p = 0..K-1 however K is blocked. Stores the raw sums, all");
        } else {
            out.add("     * from zero (the first K block, or all of K). Stores the raw sums, all");
        }
        out.add("     * " + nv + "·L columns of every row: the caller adds the bias and applies the epilogue.");
        out.add("     *");
        out.add("     * @param x    [M, K]; rows start at xo");
        out.add("     * @param w    packed panel starting at wo: [K][" + nv + "·L]");
        out.add("     * @param y    rows of stride ldy, each with room for the whole panel from yo + row·ldy");
        out.add("     */");
        out.add("    static void k" + rows + "v" + nv + (continuing ? "c" : "") + "(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int ldy, int p0, int p1) {");
        String[] load = new String[nv];
        for (int v = 0; v < nv; v++) load[v] = "FloatVector.fromArray(S, w, " + plus("wp", v, "L") + ")";
        body(out, rows, nv, new String[] {"x", "xo", "k"}, "int wp = wo + p * " + nv + " * L;", load, "a",
                continuing ? (r, v) -> "FloatVector.fromArray(S, y, " + plus(plus("yo", r, "ldy"), v, "L") + ")" : null, "p0", "p1");
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < nv; v++) {
                out.add("        c" + r + v + ".intoArray(y, " + plus(plus("yo", r, "ldy"), v, "L") + ");");
            }
        }
        out.add("    }");
    }

    /** {@code rows} rows of C times {@code vecs} vectors of columns, the last one masked or not. */
    private static void rawKernel(GeneratedSource.Lines out, int rows, int vecs, boolean masked) {
        String name = "k" + rows + "x" + vecs + (masked ? "m" : "");
        out.add("    /** " + rows + " row(s) x " + vecs + " vector(s) of columns" + (masked ? ", the last one masked by {@code last}" : "") + ". */");
        String head = "    static void " + name + "(";
        out.add(head + "float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,");
        out.add(" ".repeat(head.length()) + "int k, float alpha, boolean acc" + (masked ? ", VectorMask<Float> last" : "") + ") {");
        String[] load = new String[vecs];
        for (int v = 0; v < vecs; v++) load[v] = "FloatVector.fromArray(S, b, " + plus("bp", v, "L") + (masked && v == vecs - 1 ? ", last" : "") + ")";
        body(out, rows, vecs, new String[] {"a", "ao", "lda"}, "int bp = bo + p * ldb;", load, "x");
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < vecs; v++) {
                String m = masked && v == vecs - 1 ? ", last" : "";
                out.add("        put(c" + r + v + ", c, " + plus(plus("co", r, "ldc"), v, "L") + ", alpha, acc" + m + ");");
            }
        }
        out.add("    }");
    }

    private static String packed() {
        GeneratedSource.Lines out = new GeneratedSource.Lines();
        out.add(GeneratedSource.header(GenVectorGemmKernels.class).stripTrailing());
        out.add("package dev.lacuna.kernel.internal;");
        out.blank();
        out.add("import jdk.incubator.vector.FloatVector;");
        out.add("import jdk.incubator.vector.VectorSpecies;");
        out.blank();
        out.add("/**");
        out.add(" * The micro-kernels of {@link VectorGemm}: kRvV is R rows (" + MR + " down to 1, for the M tail) x one panel");
        out.add(" * of V vectors (4 with 32 vector registers, 2 with 16); each step p loads the panel's V vectors at");
        out.add(" * row p once and does R x V FMAs with broadcasts of x; every output element is one FMA chain over");
        out.add(" * p = 0..K-1 (in blocks of K: kRvV starts the chains from zero, kRvVc continues them from the partial");
        out.add(" * sums in y), stored raw: the bias and");
        out.add(" * the epilogue are the driver's, so that no more than the loop's own values are live across it (with");
        out.add(" * the bias, its column and the column bound live too, C2 ran out of general registers on x86 and the");
        out.add(" * 6x4 kernel lost a quarter of its speed on an Intel Xeon; docs/BENCHMARKS.md). Written out per");
        out.add(" * shape because the accumulators must be locals for C2 to keep them in registers.");
        out.add(" *");
        out.add(" * <p>Nothing here refers to {@link VectorGemm}: {@link TileProbe} times these kernels while");
        out.add(" * VectorGemm's static initialiser is still choosing its tile, and C2 does not compile calls into,");
        out.add(" * or constants of, a class that is still being initialised (the probe then timed the interpreter).");
        out.add(" */");
        out.add("final class VectorGemmKernels {");
        out.add("    private VectorGemmKernels() {}");
        out.blank();
        out.add("    static final VectorSpecies<Float> S = Species.FLOAT;");
        out.add("    static final int L = S.length();");
        out.blank();
        out.add("    /** {@code rows} (1.." + MR + ") rows of x at xo times the panel of {@code nv} (4 or 2) vectors at wo, steps [p0, p1): raw sums into y (row stride ldy). */");
        out.add("    static void micro(int rows, int nv, float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int ldy, int p0, int p1) {");
        for (int i = 0; i < PANEL_VECTORS.length; i++) {
            int nv = PANEL_VECTORS[i];
            out.add(i == 0 ? "        if (nv == " + nv + ") {" : "        } else {");
            for (boolean continuing : new boolean[] {false, true}) {
                String ind = "            ";
                out.add(ind + (continuing ? "} else {" : "if (p0 == 0) {"));
                out.add(ind + "    switch (rows) {");
                for (int rows = MR; rows >= 1; rows--)
                    out.add(ind + "        " + (rows > 1 ? "case " + rows : "default") + " -> k" + rows + "v" + nv + (continuing ? "c" : "") + "(x, xo, k, w, wo, y, yo, ldy, p0, p1);");
                out.add(ind + "    }");
            }
            out.add("            }");
        }
        out.add("        }");
        out.add("    }");
        for (int nv : PANEL_VECTORS) {
            for (boolean continuing : new boolean[] {false, true}) {
                for (int rows = MR; rows >= 1; rows--) {
                    out.blank();
                    packedKernel(out, rows, nv, continuing);
                }
            }
        }
        out.add("}");
        return out.toString();
    }

    private static String raw() {
        GeneratedSource.Lines out = new GeneratedSource.Lines();
        out.add(GeneratedSource.header(GenVectorGemmKernels.class).stripTrailing());
        out.add("package dev.lacuna.kernel.internal;");
        out.blank();
        out.add("import jdk.incubator.vector.FloatVector;");
        out.add("import jdk.incubator.vector.VectorMask;");
        out.blank();
        out.add("import static dev.lacuna.kernel.internal.VectorRawGemm.L;");
        out.add("import static dev.lacuna.kernel.internal.VectorRawGemm.S;");
        out.add("import static dev.lacuna.kernel.internal.VectorRawGemm.put;");
        out.blank();
        out.add("/**");
        out.add(" * The micro-kernels of {@link VectorRawGemm}: kRxV computes R rows of C times V vectors of columns;");
        out.add(" * each step p broadcasts A[i][p] and FMAs it with B row p, so every element is one FMA chain over");
        out.add(" * p = 0..k-1 in order, then {@code put} scales it by alpha (and adds C). kRxVm masks the last vector");
        out.add(" * (the column tail). Written out per shape so that C2 keeps every accumulator in a register.");
        out.add(" */");
        out.add("final class VectorRawGemmKernels {");
        out.add("    private VectorRawGemmKernels() {}");
        for (int rows : new int[] {4, 1}) {
            for (int vecs = 1; vecs <= 4; vecs++) {
                for (boolean masked : new boolean[] {false, true}) {
                    out.blank();
                    rawKernel(out, rows, vecs, masked);
                }
            }
        }
        out.add("}");
        return out.toString();
    }
}
