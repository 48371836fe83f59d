package dev.lacuna.kernel.internal;

import dev.lacuna.GeneratedSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes src/main/java/dev/lacuna/kernel/internal/VectorRawGemmKernels.java, the micro-kernels of
 * {@link VectorRawGemm} (the hand-written driver: column strips, row blocks, dispatch): 4 rows (or 1
 * for the row tail) x 1..4 vectors of B's row, each also with its last vector masked for the column
 * tail; accumulators in locals so that C2 keeps them in registers.
 *
 * <p>After changing the pattern, run {@code java src/test/java/dev/lacuna/kernel/internal/GenVectorRawGemmKernels.java}
 * from the repository root; {@code GeneratedSourcesTest} fails while the checked-in file differs.
 */
public final class GenVectorRawGemmKernels {
    private GenVectorRawGemmKernels() {}

    public static final GeneratedSource SOURCE = new GeneratedSource(
            Path.of("src/main/java/dev/lacuna/kernel/internal/VectorRawGemmKernels.java"), GenVectorRawGemmKernels.class, GenVectorRawGemmKernels::text);

    public static void main(String[] args) throws IOException {
        SOURCE.write();
    }

    private static String plus(String base, int v, String unit) {
        return v == 0 ? base : base + " + " + v + " * " + unit;
    }

    private static void kernel(GeneratedSource.Lines out, int rows, int vecs, boolean masked) {
        String name = "k" + rows + "x" + vecs + (masked ? "m" : "");
        out.add("    /** " + rows + " row(s) x " + vecs + " vector(s) of columns" + (masked ? ", the last one masked by {@code last}" : "") + ". */");
        String head = "    static void " + name + "(";
        out.add(head + "float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] c, int co, int ldc,");
        out.add(" ".repeat(head.length()) + "int k, float alpha, boolean acc" + (masked ? ", VectorMask<Float> last" : "") + ") {");
        for (int r = 0; r < rows; r++) out.add("        int a" + r + " = " + plus("ao", r, "lda") + ";");
        for (int r = 0; r < rows; r++) {
            List<String> zs = new ArrayList<>();
            for (int v = 0; v < vecs; v++) zs.add("c" + r + v + " = FloatVector.zero(S)");
            out.add("        FloatVector " + String.join(", ", zs) + ";");
        }
        out.add("        for (int p = 0; p < k; p++) {");
        out.add("            int bp = bo + p * ldb;");
        for (int v = 0; v < vecs; v++) {
            String m = masked && v == vecs - 1 ? ", last" : "";
            out.add("            FloatVector b" + v + " = FloatVector.fromArray(S, b, " + plus("bp", v, "L") + m + ");");
        }
        out.add("            FloatVector x;");
        for (int r = 0; r < rows; r++) {
            out.add("            x = FloatVector.broadcast(S, a[a" + r + " + p]);");
            List<String> fmas = new ArrayList<>();
            for (int v = 0; v < vecs; v++) fmas.add("c" + r + v + " = x.fma(b" + v + ", c" + r + v + ");");
            out.add("            " + String.join(" ", fmas));
        }
        out.add("        }");
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < vecs; v++) {
                String m = masked && v == vecs - 1 ? ", last" : "";
                out.add("        put(c" + r + v + ", c, " + plus(plus("co", r, "ldc"), v, "L") + ", alpha, acc" + m + ");");
            }
        }
        out.add("    }");
    }

    private static String text() {
        GeneratedSource.Lines out = new GeneratedSource.Lines();
        out.add(GeneratedSource.header(GenVectorRawGemmKernels.class).stripTrailing());
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
                    kernel(out, rows, vecs, masked);
                }
            }
        }
        out.add("}");
        return out.toString();
    }
}
