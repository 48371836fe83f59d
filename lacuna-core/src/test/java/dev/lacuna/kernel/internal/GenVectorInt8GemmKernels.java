// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import dev.lacuna.GeneratedSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes src/main/java/dev/lacuna/kernel/internal/VectorInt8GemmKernels.java, the micro-kernels of
 * {@link VectorInt8Gemm}: the dense GEMM's pattern (R rows x V vectors of accumulators in locals, so
 * that C2 keeps them in registers; per step p, one broadcast of x per row feeding V FMAs) with the
 * panel's V vectors loaded as int8 and widened to fp32 in registers, and the per-channel scale applied
 * once at the store. The driver is hand-written. After changing the pattern, run
 * {@code java src/test/java/dev/lacuna/kernel/internal/GenVectorInt8GemmKernels.java} from the
 * lacuna-core/ directory; {@code GeneratedSourcesTest} fails while the checked-in file differs.
 */
public final class GenVectorInt8GemmKernels {
    private GenVectorInt8GemmKernels() {}

    public static final GeneratedSource SOURCE = new GeneratedSource(
            Path.of("src/main/java/dev/lacuna/kernel/internal/VectorInt8GemmKernels.java"), GenVectorInt8GemmKernels.class,
            GenVectorInt8GemmKernels::text);

    /** Rows per micro-kernel (VectorInt8Gemm.MR) and the panel widths in vectors it picks from. */
    private static final int MR = 6;
    private static final int[] PANEL_VECTORS = {4, 2};

    public static void main(String[] args) throws IOException {
        SOURCE.write();
    }

    private static String plus(String base, int v, String unit) {
        return v == 0 ? base : base + " + " + v + " * " + unit;
    }

    private static void kernel(GeneratedSource.Lines out, int rows, int nv) {
        out.add("    /**");
        out.add("     * " + rows + " rows x one int8 panel of " + nv + " vectors (" + rows * nv + " accumulators).");
        out.add("     *");
        out.add("     * @param x     [M, K]; rows start at xo");
        out.add("     * @param w     int8 panel starting at wo: [K][" + nv + "·L]");
        out.add("     * @param y     rows of stride ldy, each with room for the whole panel from yo + row·ldy: the raw");
        out.add("     *              sums x·q, scaled and biased by the caller");
        out.add("     */");
        out.add("    static void k" + rows + "v" + nv + "(float[] x, int xo, int k, byte[] w, int wo, float[] y, int yo, int ldy) {");
        for (int r = 0; r < rows; r++) out.add("        int x" + r + " = " + plus("xo", r, "k") + ";");
        for (int r = 0; r < rows; r++) {
            List<String> zs = new ArrayList<>();
            for (int v = 0; v < nv; v++) zs.add("c" + r + v + " = FloatVector.zero(S)");
            out.add("        FloatVector " + String.join(", ", zs) + ";");
        }
        out.add("        for (int p = 0; p < k; p++) {");
        out.add("            int wp = wo + p * " + nv + " * L;");
        for (int v = 0; v < nv; v++) out.add("            FloatVector b" + v + " = widen(w, " + plus("wp", v, "L") + ");");
        out.add("            FloatVector a;");
        for (int r = 0; r < rows; r++) {
            out.add("            a = FloatVector.broadcast(S, x[x" + r + " + p]);");
            List<String> fmas = new ArrayList<>();
            for (int v = 0; v < nv; v++) fmas.add("c" + r + v + " = a.fma(b" + v + ", c" + r + v + ");");
            out.add("            " + String.join(" ", fmas));
        }
        out.add("        }");
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < nv; v++) {
                out.add("        c" + r + v + ".intoArray(y, " + plus(plus("yo", r, "ldy"), v, "L") + ");");
            }
        }
        out.add("    }");
    }

    private static String text() {
        GeneratedSource.Lines out = new GeneratedSource.Lines();
        out.add(GeneratedSource.header(GenVectorInt8GemmKernels.class).stripTrailing());
        out.add("package dev.lacuna.kernel.internal;");
        out.blank();
        out.add("import jdk.incubator.vector.FloatVector;");
        out.blank();
        out.add("import static dev.lacuna.kernel.internal.VectorInt8Gemm.L;");
        out.add("import static dev.lacuna.kernel.internal.VectorInt8Gemm.S;");
        out.add("import static dev.lacuna.kernel.internal.VectorInt8Gemm.widen;");
        out.blank();
        out.add("/**");
        out.add(" * The micro-kernels of {@link VectorInt8Gemm}: kRvV is R rows (" + MR + " down to 1, for the M tail) x one int8");
        out.add(" * panel of V vectors (4 with 32 vector registers, 2 with 16); each step p loads the panel's V·L int8");
        out.add(" * weights at row p once, widens them to V float vectors and does R x V FMAs with broadcasts of x;");
        out.add(" * every output element is one FMA chain over p = 0..K-1 of x·q, stored raw; the driver applies");
        out.add(" * acc·scale + bias after (with scale, bias and the column bound live across the loop too, C2 ran out");
        out.add(" * of x86 general registers, as in the dense kernels). Written out per shape because the accumulators");
        out.add(" * must be locals for C2 to keep them in registers.");
        out.add(" */");
        out.add("final class VectorInt8GemmKernels {");
        out.add("    private VectorInt8GemmKernels() {}");
        for (int nv : PANEL_VECTORS) {
            for (int rows = MR; rows >= 1; rows--) {
                out.blank();
                kernel(out, rows, nv);
            }
        }
        out.add("}");
        return out.toString();
    }
}
