package dev.lacuna.kernel.internal;

import dev.lacuna.GeneratedSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes src/main/java/dev/lacuna/kernel/internal/VectorGemmKernels.java, the register-blocked
 * micro-kernels of {@link VectorGemm} (the hand-written driver: tiling, dispatch by row count,
 * epilogue): r = 1..MR rows of x times one panel of NV vectors, r x NV accumulators in locals so that
 * C2 keeps them in registers.
 *
 * <p>After changing the pattern, run {@code java src/test/java/dev/lacuna/kernel/internal/GenVectorGemmKernels.java}
 * from the repository root; {@code GeneratedSourcesTest} fails while the checked-in file differs.
 */
public final class GenVectorGemmKernels {
    private GenVectorGemmKernels() {}

    public static final GeneratedSource SOURCE = new GeneratedSource(
            Path.of("src/main/java/dev/lacuna/kernel/internal/VectorGemmKernels.java"), GenVectorGemmKernels.class, GenVectorGemmKernels::text);

    /** Rows per micro-kernel (VectorGemm.MR) and vectors per panel (VectorGemm.NV). */
    private static final int MR = 6, NV = 4;

    public static void main(String[] args) throws IOException {
        SOURCE.write();
    }

    private static String plus(String base, int v, String unit) {
        return v == 0 ? base : base + " + " + v + " * " + unit;
    }

    private static void kernel(GeneratedSource.Lines out, int rows) {
        out.add("    /**");
        out.add("     * " + rows + " rows x one panel.");
        out.add("     *");
        out.add("     * @param x  [M, K]; rows start at xo");
        out.add("     * @param w  packed panel starting at wo: [K][NR]");
        out.add("     * @param y  [M, N]; tile starts at yo = row·N + j");
        out.add("     * @param j  first column of the panel");
        out.add("     */");
        out.add("    static void k" + rows + "(float[] x, int xo, int k, float[] w, int wo, float[] y, int yo, int n, int j, float[] bias) {");
        for (int r = 0; r < rows; r++) out.add("        int x" + r + " = " + plus("xo", r, "k") + ";");
        for (int r = 0; r < rows; r++) {
            List<String> zs = new ArrayList<>();
            for (int v = 0; v < NV; v++) zs.add("c" + r + v + " = FloatVector.zero(S)");
            out.add("        FloatVector " + String.join(", ", zs) + ";");
        }
        out.add("        for (int p = 0; p < k; p++) {");
        out.add("            int wp = wo + p * NR;");
        for (int v = 0; v < NV; v++) out.add("            FloatVector b" + v + " = FloatVector.fromArray(S, w, " + plus("wp", v, "L") + ");");
        out.add("            FloatVector a;");
        for (int r = 0; r < rows; r++) {
            out.add("            a = FloatVector.broadcast(S, x[x" + r + " + p]);");
            List<String> fmas = new ArrayList<>();
            for (int v = 0; v < NV; v++) fmas.add("c" + r + v + " = a.fma(b" + v + ", c" + r + v + ");");
            out.add("            " + String.join(" ", fmas));
        }
        out.add("        }");
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < NV; v++) {
                out.add("        put(c" + r + v + ", y, " + plus(plus("yo", r, "n"), v, "L") + ", " + plus("j", v, "L") + ", n, bias);");
            }
        }
        out.add("    }");
    }

    private static String text() {
        GeneratedSource.Lines out = new GeneratedSource.Lines();
        out.add(GeneratedSource.header(GenVectorGemmKernels.class).stripTrailing());
        out.add("package dev.lacuna.kernel.internal;");
        out.blank();
        out.add("import jdk.incubator.vector.FloatVector;");
        out.blank();
        out.add("import static dev.lacuna.kernel.internal.VectorGemm.L;");
        out.add("import static dev.lacuna.kernel.internal.VectorGemm.NR;");
        out.add("import static dev.lacuna.kernel.internal.VectorGemm.S;");
        out.add("import static dev.lacuna.kernel.internal.VectorGemm.put;");
        out.blank();
        out.add("/**");
        out.add(" * The micro-kernels of {@link VectorGemm}, one per row count (" + MR + " down to 1, for the M tail): each");
        out.add(" * step p loads the panel's " + NV + " vectors at row p once and does rows x " + NV + " FMAs with broadcasts of");
        out.add(" * x; every output element is one FMA chain over p = 0..K-1, stored with its bias by {@code put}.");
        out.add(" * Written out per row count because the accumulators must be locals for C2 to keep them in");
        out.add(" * registers.");
        out.add(" */");
        out.add("final class VectorGemmKernels {");
        out.add("    private VectorGemmKernels() {}");
        for (int rows = MR; rows >= 1; rows--) {
            out.blank();
            kernel(out, rows);
        }
        out.add("}");
        return out.toString();
    }
}
