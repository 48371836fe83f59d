package dev.lacuna.kernel;

import dev.lacuna.ChildJvm;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.kernel.internal.KernelProvider;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GEMM's two register tiles (6 rows x 4 vectors where the CPU has 32 vector registers, 6 x 2
 * where it has 16; {@code -Dlacuna.gemm.panel} forces one) compute every output as the same FMA chain,
 * so they give the same bits, on shapes with row and column tails, with and without GELU, on 1 and 2
 * threads. Each width runs in its own JVM (the choice is made once per JVM).
 */
class PanelWidthTest {
    /** Prints the panel width and a hash of every output's bits. */
    public static final class Probe {
        public static void main(String[] args) {
            Random r = new Random(7);
            long h = 1;
            try (Parallel p1 = new Parallel(1); Parallel p2 = new Parallel(2)) {
                for (int[] s : new int[][] {{1, 17, 5}, {7, 40, 33}, {13, 129, 64}, {64, 384, 384}, {23, 100, 1536}}) {
                    int m = s[0], n = s[1], k = s[2];
                    float[] x = new float[m * k], w = new float[n * k], b = new float[n];
                    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
                    for (int i = 0; i < n; i++) b[i] = (float) r.nextGaussian();
                    PackedMatrix pw = Gemm.pack(w, n, k);
                    for (Epilogue ep : Epilogue.values()) {
                        float[] y1 = new float[m * n], y2 = new float[m * n];
                        Gemm.matmul(p1, x, m, pw, b, y1, ep);
                        Gemm.matmul(p2, x, m, pw, null, y2, ep);
                        h = 31 * h + Arrays.hashCode(y1);
                        h = 31 * h + Arrays.hashCode(y2);
                    }
                }
            }
            System.out.println(KernelProvider.get().panelWidth() + " " + h);
        }
    }

    private static String[] run(String panel) throws Exception {
        return ChildJvm.run(Probe.class, List.of("--add-modules=jdk.incubator.vector", "-Dlacuna.gemm.panel=" + panel)).out().split(" ");
    }

    @Test
    void bothTilesGiveTheSameBits() throws Exception {
        String[] two = run("2"), four = run("4");
        assertNotEquals(two[0], four[0], "the two runs must use different panel widths");
        assertEquals(2 * Integer.parseInt(two[0]), Integer.parseInt(four[0]));
        assertEquals(four[1], two[1]);
    }

    @Test
    void theTileFollowsTheRegisterFile() throws Exception {
        String[] own = ChildJvm.run(Probe.class, List.of("--add-modules=jdk.incubator.vector")).out().split(" ");
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        assertEquals((lanes >= 16 ? 4 : 2) * lanes, Integer.parseInt(own[0]));
        assertTrue(Long.parseLong(own[1]) != 0);
    }
}
