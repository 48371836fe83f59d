// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sparse;

import dev.lacuna.GeneratedSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes src/main/java/dev/lacuna/sparse/VectorSparseKernels.java, the register-blocked kernels that
 * {@link VectorSparseProducts} (the hand-written driver: dispatch, tiling, threading) calls. They are
 * written out per shape because the Vector API needs its accumulators in locals for C2 to keep them
 * in registers. xt and the output tile live in 64-byte aligned MemorySegments; offsets into them are
 * in bytes (VB = bytes per vector).
 *
 * <p>After changing a pattern, run {@code java src/test/java/dev/lacuna/sparse/GenVectorSparseKernels.java}
 * from lacuna-core/; {@code GeneratedSourcesTest} fails while the checked-in file differs.
 */
public final class GenVectorSparseKernels {
    private GenVectorSparseKernels() {}

    public static final GeneratedSource SOURCE = new GeneratedSource(
            Path.of("src/main/java/dev/lacuna/sparse/VectorSparseKernels.java"), GenVectorSparseKernels.class, GenVectorSparseKernels::text);

    public static void main(String[] args) throws IOException {
        SOURCE.write();
    }

    private final GeneratedSource.Lines out = new GeneratedSource.Lines();

    private void emit(String s) {
        out.add(s);
    }

    private void emit() {
        out.blank();
    }

    private static String zeros(List<String> names) {
        List<String> z = new ArrayList<>();
        for (String a : names) z.add(a + " = FloatVector.zero(S)");
        return "FloatVector " + String.join(", ", z) + ";";
    }

    private static String plus(String base, int v) {
        return plus(base, v, "VB");
    }

    private static String plus(String base, int v, String unit) {
        return v == 0 ? base : base + " + " + v + " * " + unit;
    }

    private static List<String> names(String prefix, int count) {
        List<String> n = new ArrayList<>();
        for (int v = 0; v < count; v++) n.add(prefix + v);
        return n;
    }

    private void fmaRow(String ind, String p, String w, String o, int vecs) {
        for (int v = 0; v < vecs; v++) emit(ind + p + v + " = " + w + ".fma(load(xt, " + plus(o, v) + "), " + p + v + ");");
    }

    /**
     * An L x L transpose in registers as a butterfly of log2(L) stages: stage s pairs rows d = 2^s
     * apart and swaps their d x d off-diagonal sub-blocks. With 16 lanes (AVX-512) a half is one
     * two-source {@code selectFrom} (vpermt2ps); with 8 (AVX2, which has no two-source permute and
     * emulates one at ~2x the cost, {@code TransposeLab}) a single-source rearrange and a blend:
     * lo = blend(a, rotate(b, d), BIT), hi = blend(rotate(a, -d), b, BIT).
     */
    private void transpose(int lanes, boolean in) {
        int[] stages = lanes == 16 ? new int[] {1, 2, 4, 8} : new int[] {1, 2, 4};
        if (in) {
            emit("    /** xt rows dO + j·ds (bytes) = column j of the " + lanes + " x " + lanes + " block of x whose row i starts at so + i·ss. */");
            emit("    static void transposeIn" + lanes + "(float[] src, int so, int ss, MemorySegment dst, long dO, long ds) {");
            for (int i = 0; i < lanes; i++) emit("        FloatVector r" + i + " = FloatVector.fromArray(S, src, " + plus("so", i, "ss") + ");");
        } else {
            emit("    /** y rows dO + j·ds = column j (+ bias, when not null) of the " + lanes + " x " + lanes + " output-tile block whose row i starts at byte so + i·ss. */");
            emit("    static void transposeOut" + lanes + "(MemorySegment src, long so, long ss, float[] dst, int dO, int ds, FloatVector bias) {");
            for (int i = 0; i < lanes; i++) emit("        FloatVector r" + i + " = load(src, " + plus("so", i, "ss") + ");");
        }
        String[] names = new String[lanes];
        for (int i = 0; i < lanes; i++) names[i] = "r" + i;
        for (int s = 0; s < stages.length; s++) {
            int d = stages[s];
            for (int i = 0; i < lanes; i++) {
                if ((i & d) != 0) continue;
                String a = names[i], b = names[i + d], na = "s" + s + "_" + i, nb = "s" + s + "_" + (i + d);
                if (lanes == 16) {
                    emit("        FloatVector " + na + " = LO" + s + ".selectFrom(" + a + ", " + b + "), " + nb + " = HI" + s + ".selectFrom(" + a + ", " + b + ");");
                } else {
                    emit("        FloatVector " + na + " = " + a + ".blend(" + b + ".rearrange(DOWN" + s + "), BIT" + s + "), "
                            + nb + " = " + a + ".rearrange(UP" + s + ").blend(" + b + ", BIT" + s + ");");
                }
                names[i] = na;
                names[i + d] = nb;
            }
        }
        if (in) {
            for (int i = 0; i < lanes; i++) emit("        " + names[i] + ".intoMemorySegment(dst, " + plus("dO", i, "ds") + ", BO);");
        } else {
            emit("        if (bias == null) {");
            for (int i = 0; i < lanes; i++) emit("            " + names[i] + ".intoArray(dst, " + plus("dO", i, "ds") + ");");
            emit("        } else {");
            for (int i = 0; i < lanes; i++) emit("            " + names[i] + ".add(bias).intoArray(dst, " + plus("dO", i, "ds") + ");");
            emit("        }");
        }
        emit("    }");
        emit();
    }

    /** The value arrays of a CSR kernel: fp32, or int8 with a scale per row (dequantized per entry, q·scale). */
    private static String valueParams(boolean int8) {
        return int8 ? "byte[] values, float[] scale" : "float[] values";
    }

    /** Entry j of row {@code row} as a float: values[j], or values[j] · scale[row]. */
    private static String value(String j, String row, boolean int8) {
        return int8 ? "values[" + j + "] * scale[" + row + "]" : "values[" + j + "]";
    }

    private void csrOne(int vecs, boolean wide, boolean int8) {
        String it = wide ? "int" : "char", sfx = (wide ? "Wide" : "") + (int8 ? "I8" : "");
        emit("    /** Row r of CSR" + (int8 ? " with int8 values" : "") + ", " + vecs + " vector(s) of tokens, into the output tile at byte ao. */");
        emit("    static void csrOne" + vecs + sfx + "(MemorySegment xt, int[] rowPtr, " + it + "[] cols, " + valueParams(int8) + ", int r, MemorySegment acc, long ao) {");
        emit("        final long tt = " + vecs + " * VB;");
        emit("        " + zeros(names("a", vecs)));
        emit("        for (int j = rowPtr[r], e = rowPtr[r + 1]; j < e; j++) {");
        emit("            long o = cols[j] * tt;");
        emit("            FloatVector w = FloatVector.broadcast(S, " + value("j", "r", int8) + ");");
        fmaRow("            ", "a", "w", "o", vecs);
        emit("        }");
        for (int v = 0; v < vecs; v++) emit("        a" + v + ".intoMemorySegment(acc, " + plus("ao", v) + ", BO);");
        emit("    }");
        emit();
    }

    private void csrPair(int vecs, boolean wide, boolean int8) {
        String it = wide ? "int" : "char", sfx = (wide ? "Wide" : "") + (int8 ? "I8" : "");
        emit("    /**");
        emit("     * Rows [r0, r1) of CSR" + (int8 ? " with int8 values" : "") + ", " + vecs + " vector(s) of tokens, two rows in lockstep so that " + 2 * vecs + " FMA chains hide");
        emit("     * the FMA latency; each row keeps its own order.");
        emit("     */");
        emit("    static void csrPair" + vecs + sfx + "(MemorySegment xt, int[] rowPtr, " + it + "[] cols, " + valueParams(int8) + ", int r0, int r1, MemorySegment acc) {");
        emit("        final long tt = " + vecs + " * VB;");
        emit("        int r = r0;");
        emit("        for (; r + 1 < r1; r += 2) {");
        List<String> acc = names("a", vecs);
        acc.addAll(names("b", vecs));
        emit("            " + zeros(acc));
        emit("            int ja = rowPtr[r], ea = rowPtr[r + 1], jb = ea, eb = rowPtr[r + 2];");
        emit("            for (int common = Math.min(ea - ja, eb - jb); common > 0; common--, ja++, jb++) {");
        emit("                long oa = cols[ja] * tt, ob = cols[jb] * tt;");
        emit("                FloatVector wa = FloatVector.broadcast(S, " + value("ja", "r", int8) + "), wb = FloatVector.broadcast(S, " + value("jb", "r + 1", int8) + ");");
        for (int v = 0; v < vecs; v++) {
            emit("                a" + v + " = wa.fma(load(xt, " + plus("oa", v) + "), a" + v + ");");
            emit("                b" + v + " = wb.fma(load(xt, " + plus("ob", v) + "), b" + v + ");");
        }
        emit("            }");
        for (String[] pje : new String[][] {{"a", "ja", "ea", "r"}, {"b", "jb", "eb", "r + 1"}}) {
            emit("            for (; " + pje[1] + " < " + pje[2] + "; " + pje[1] + "++) {");
            emit("                long o = cols[" + pje[1] + "] * tt;");
            emit("                FloatVector w = FloatVector.broadcast(S, " + value(pje[1], pje[3], int8) + ");");
            fmaRow("                ", pje[0], "w", "o", vecs);
            emit("            }");
        }
        emit("            long ao = (r - r0) * tt;");
        for (int v = 0; v < vecs; v++) emit("            a" + v + ".intoMemorySegment(acc, " + plus("ao", v) + ", BO);");
        for (int v = 0; v < vecs; v++) emit("            b" + v + ".intoMemorySegment(acc, " + plus("ao + tt", v) + ", BO);");
        emit("        }");
        emit("        if (r < r1) csrOne" + vecs + sfx + "(xt, rowPtr, cols, values, " + (int8 ? "scale, " : "") + "r, acc, (r - r0) * tt);");
        emit("    }");
        emit();
    }

    /** Slots per group unrolled in {@link #nm}: none (a loop over nn), or 2. */
    private static final int LOOP = 0;

    /** {@code rows} rows of an N:M weight in lockstep (all rows have the same slots), {@code vecs} vectors of tokens. */
    private void nm(int rows, int vecs, int unrolled) {
        String sfx = unrolled == LOOP ? "" : "n" + unrolled;
        String what = unrolled == LOOP ? "a loop over the group's slots" : "the group's " + unrolled + " slots unrolled";
        emit("    /** " + rows + " row(s) of N:M from row r in lockstep (all rows have the same slots), " + vecs + " vector(s) of tokens, " + what + ". */");
        emit("    static void nm" + rows + "x" + vecs + sfx + "(MemorySegment xt, float[] values, byte[] positions, int groups, int nn, int m, int r, MemorySegment acc, long ao) {");
        emit("        final long tt = " + vecs + " * VB;");
        emit("        final int slots = groups * nn;");
        List<String> acc = new ArrayList<>();
        for (int q = 0; q < rows; q++) acc.addAll(names("a" + q, vecs));
        emit("        " + zeros(acc));
        emit("        int j = r * slots;");
        emit("        long kb = 0;");
        if (unrolled == LOOP) {
            emit("        for (int g = 0; g < groups; g++, kb += m * tt) {");
            emit("            for (int s = 0; s < nn; s++, j++) {");
            nmSlot("                ", "j", rows, vecs);
            emit("            }");
            emit("        }");
        } else {
            emit("        for (int g = 0; g < groups; g++, kb += m * tt, j += " + unrolled + ") {");
            for (int sl = 0; sl < unrolled; sl++) nmSlot("            ", sl == 0 ? "j" : "j + " + sl, rows, vecs);
            emit("        }");
        }
        for (int q = 0; q < rows; q++) {
            for (int v = 0; v < vecs; v++) emit("        a" + q + v + ".intoMemorySegment(acc, " + plus(plus("ao", q, "tt"), v) + ", BO);");
        }
        emit("    }");
        emit();
    }

    private void nmSlot(String ind, String off, int rows, int vecs) {
        for (int q = 0; q < rows; q++) {
            String jj = q == 0 ? off : off + " + " + q + " * slots";
            emit(ind + "{");
            emit(ind + "    long o = kb + positions[" + jj + "] * tt;");
            emit(ind + "    FloatVector w = FloatVector.broadcast(S, values[" + jj + "]);");
            fmaRow(ind + "    ", "a" + q, "w", "o", vecs);
            emit(ind + "}");
        }
    }

    /** {@code rows} rows of a block (from sub-row q), {@code vecs} vectors of tokens; {@code cols} block columns unrolled (0: a loop). */
    private void blk(int rows, int vecs, int cols) {
        String sfx = cols == 0 ? "" : "c" + cols;
        String what = cols == 0 ? "a loop over the block's columns" : "the block's " + cols + " column(s) unrolled";
        emit("    /** Sub-rows q .. q+" + (rows - 1) + " of block row b, " + vecs + " vector(s) of tokens, " + what + ": per column, " + vecs
                + " xt load(s) feed " + rows * vecs + " FMA(s). */");
        emit("    static void blk" + rows + "x" + vecs + sfx + "(MemorySegment xt, int[] blockPtr, int[] blockCols, float[] values, int br, int bc, int b, int q, MemorySegment acc, long ao) {");
        emit("        final long tt = " + vecs + " * VB;");
        List<String> acc = new ArrayList<>();
        for (int p = 0; p < rows; p++) acc.addAll(names("a" + p, vecs));
        emit("        " + zeros(acc));
        emit("        for (int i = blockPtr[b], e = blockPtr[b + 1]; i < e; i++) {");
        emit("            long o = blockCols[i] * bc * tt;");
        emit("            int wv = i * br * bc + q;");
        if (cols == 0) {
            emit("            for (int c = 0; c < bc; c++, o += tt, wv += br) {");
            blkColumn("                ", "o", "wv", rows, vecs);
            emit("            }");
        } else {
            for (int c = 0; c < cols; c++) {
                if (cols > 1) emit("            {");
                String ind = cols > 1 ? "                " : "            ";
                blkColumn(ind, c == 0 ? "o" : "o + " + c + " * tt", c == 0 ? "wv" : "wv + " + c + " * br", rows, vecs);
                if (cols > 1) emit("            }");
            }
        }
        emit("        }");
        for (int p = 0; p < rows; p++) {
            for (int v = 0; v < vecs; v++) emit("        a" + p + v + ".intoMemorySegment(acc, " + plus(plus("ao", p, "tt"), v) + ", BO);");
        }
        emit("    }");
        emit();
    }

    private void blkColumn(String ind, String oc, String wc, int rows, int vecs) {
        for (int v = 0; v < vecs; v++) emit(ind + "FloatVector x" + v + " = load(xt, " + plus(oc, v) + ");");
        emit(ind + "FloatVector w;");
        for (int p = 0; p < rows; p++) {
            emit(ind + "w = FloatVector.broadcast(S, values[" + (p == 0 ? wc : wc + " + " + p) + "]);");
            List<String> fmas = new ArrayList<>();
            for (int v = 0; v < vecs; v++) fmas.add("a" + p + v + " = w.fma(x" + v + ", a" + p + v + ");");
            emit(ind + String.join(" ", fmas));
        }
    }

    private static String text() {
        GenVectorSparseKernels g = new GenVectorSparseKernels();
        g.emit(GeneratedSource.header(GenVectorSparseKernels.class).stripTrailing());
        g.emit("package dev.lacuna.sparse;");
        g.emit();
        g.emit("import jdk.incubator.vector.FloatVector;");
        g.emit();
        g.emit("import java.lang.foreign.MemorySegment;");
        g.emit();
        for (String c : new String[] {"BIT0", "BIT1", "BIT2", "BO", "DOWN0", "DOWN1", "DOWN2", "HI0", "HI1", "HI2", "HI3", "LO0", "LO1", "LO2", "LO3", "S", "UP0", "UP1", "UP2", "VB", "load"}) {
            g.emit("import static dev.lacuna.sparse.VectorSparseProducts." + c + ";");
        }
        g.emit();
        g.emit("/**");
        g.emit(" * The register-blocked kernels of {@link VectorSparseProducts}, one pattern per family, written out per");
        g.emit(" * shape. Accumulators are locals so that C2 keeps them in registers; every output lane is one FMA");
        g.emit(" * chain over the row's stored values in increasing column order. Keep each method under ~16 vector");
        g.emit(" * loads: in larger ones C2 runs out of inlining budget (NodeCountInliningCutoff), stops inlining the");
        g.emit(" * loads and boxes every vector.");
        g.emit(" *");
        g.emit(" * <p>Arguments shared by the kernels (V = vectors of tokens in the method's name, TT = V·L):");
        g.emit(" * <pre>");
        g.emit(" *   xt        [K', TT] transposed token tile, 64-byte aligned; row k at byte k·TT·4");
        g.emit(" *   acc, ao   output tile [rows, TT]; the first row computed starts at byte ao (at 0 for r0..r1)");
        g.emit(" *   rowPtr    [N + 1], cols / wide [nnz], values [nnz]           (CSR)");
        g.emit(" *   values, positions [N, G, nn], groups G = ceil(K / m), nn, m   (N:M; row r's slots from r·G·nn)");
        g.emit(" *   blockPtr [ceil(N / R) + 1], blockCols [B], values [B, C, R], br = R, bc = C, b = block row,");
        g.emit(" *   q = first row within the block                                (blocked CSR)");
        g.emit(" *   src/dst, so/dO, ss/ds  transposes: row i of the source at so + i·ss, row j of the result");
        g.emit(" *             at dO + j·ds (floats in float[], bytes in segments)");
        g.emit(" * </pre>");
        g.emit(" */");
        g.emit("final class VectorSparseKernels {");
        g.emit("    private VectorSparseKernels() {}");
        g.emit();
        for (int lanes : new int[] {16, 8}) {
            g.transpose(lanes, true);
            g.transpose(lanes, false);
        }
        for (boolean int8 : new boolean[] {false, true}) {
            for (boolean wide : new boolean[] {false, true}) {
                for (int v : int8 ? new int[] {4, 2, 1} : new int[] {8, 4, 2, 1}) g.csrOne(v, wide, int8);
                for (int v : new int[] {2, 1}) g.csrPair(v, wide, int8);
            }
        }
        for (int[] rv : new int[][] {{2, 4}, {4, 2}, {4, 1}}) {
            for (int unrolled : new int[] {LOOP, 2}) g.nm(rv[0], rv[1], unrolled);
        }
        for (int v : new int[] {4, 2, 1}) g.nm(1, v, LOOP);
        // Columns unrolled only while rows x columns ≤ 4: blk4x4 with its 4 columns unrolled is 7x slower
        // (NodeCountInliningCutoff, see the class comment).
        for (int p : new int[] {4, 2, 1}) {
            for (int c : new int[] {0, 1, 2, 4}) {
                if (c == 0 || p * c <= 4) {
                    for (int v : new int[] {4, 2, 1}) g.blk(p, v, c);
                }
            }
        }
        String s = g.out.toString();
        // the last method's blank line closes the class instead
        return s.substring(0, s.length() - 1) + "}\n";
    }
}
