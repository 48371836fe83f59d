// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.model.bert;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.format.BertCheckpoint;
import dev.lacuna.format.ReferenceBert;
import dev.lacuna.format.TinyBert;
import dev.lacuna.kernel.internal.KernelProvider;
import dev.lacuna.model.Batch;
import dev.lacuna.model.Hooks;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BertModel#forward} against the plain double-precision {@link ReferenceBert}, one sequence at
 * a time, on tiny random models: packed batches of sequences of different lengths (on the calling
 * thread and on a team), each activation, and hooks that read and overwrite, with the Vector API
 * kernels in this JVM and the scalar ones in a fresh JVM with {@code -Dlacuna.scalar=true}.
 *
 * <p>Shapes: C = 48 hidden, H = 4 heads of D = 12 (not a multiple of the vector length, so the
 * kernels' tails run), I = 80 intermediate, P = 40 positions.
 */
class BertModelParityTest {
    /**
     * |ours - reference| <= TOL x (largest |reference| of that activation and sequence): fp32 with
     * sums of at most 80 terms, measured at most ~1e-6; a wrong sign, index or constant is >= 1e-3.
     */
    static final double TOL = 1e-5;

    static BertConfig config(String act) {
        return new BertConfig(50, 48, 2, 4, 80, 40, 2, 1e-12, act);
    }

    /** Lengths per batch: the first runs on the team (>= SERIAL_BELOW_TOKENS tokens), the second is short, the last fills every position. */
    static final int[][] BATCHES = {{1, 7, 33, 19, 3}, {5, 2, 11}, {40}};

    @Test
    void vectorKernelsMatchReference() {
        assertNotNull(KernelProvider.vector(), "the test JVM runs with --add-modules jdk.incubator.vector");
        assertSame(KernelProvider.vector(), KernelProvider.get(), "lacuna.scalar is not set, so the Vector API kernels are in use");
        System.out.println(KernelProvider.get().name() + ": parity ok, worst relative error " + checkAll());
    }

    @Test
    void scalarKernelsMatchReference() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-D" + KernelProvider.SCALAR_PROPERTY + "=true",
                "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("scalar: parity ok"), out);
        System.out.println(out);
    }

    /** Runs {@link #checkAll} in a JVM of its own, so that the kernel provider can pick the scalar kernels. */
    public static final class Probe {
        public static void main(String[] args) {
            try {
                double worst = checkAll();
                System.out.println(KernelProvider.get().name() + ": parity ok, worst relative error " + worst);
            } catch (Throwable e) {
                System.out.println(KernelProvider.get().name() + ": " + e);
                System.exit(1);
            }
        }
    }

    /** The largest |diff| / scale seen by {@link #assertRowsClose}, for the log. */
    private static double worst;

    /** @return the worst relative error seen */
    static double checkAll() {
        worst = 0;
        // the first batch runs on the team whatever the serial cut (by default every batch does)
        assertTrue(sum(BATCHES[0]) >= BertModel.SERIAL_BELOW_TOKENS);
        long seed = 1;
        try (Parallel team = new Parallel(3)) {
            for (String act : new String[] {"gelu", "gelu_new", "relu"}) {
                BertCheckpoint ck = TinyBert.checkpoint(config(act), seed++);
                BertModel model = BertModel.fromTensors(ck.config(), ck.tensors());
                for (int[] lengths : BATCHES) {
                    packedBatchMatches(act, ck, model, team, lengths, seed++);
                }
            }
            hooksReadAndOverwriteAsInReference(team);
        }
        return worst;
    }

    /** Every hook point's activation and the output, per sequence of one packed batch, against the reference. */
    private static void packedBatchMatches(String act, BertCheckpoint ck, BertModel model, Parallel par, int[] lengths, long seed) {
        int[][] seqs = randomIds(ck.config(), lengths, seed);
        Batch batch = Batch.of(seqs);
        List<String> points = Hooks.points(ck.config().numHiddenLayers());
        Map<String, double[][]> ours = new LinkedHashMap<>();
        Hooks hooks = new Hooks();
        for (String point : points) hooks.add(point, (pt, a, tokens, width, starts) -> ours.put(pt, rows(a, tokens, width)));
        double[][] out = rows(model.forward(par, batch, hooks), batch.tokens(), ck.config().hiddenSize());
        String what = act + ", lengths " + Arrays.toString(lengths);
        assertEquals(points, List.copyOf(ours.keySet()), what + ": hook points fired");
        for (int s = 0; s < seqs.length; s++) {
            Map<String, double[][]> ref = new LinkedHashMap<>();
            float[][] expected = ReferenceBert.forward(ck, longs(seqs[s]), new long[seqs[s].length], (pt, a) -> ref.put(pt, copy(a)));
            assertEquals(points, List.copyOf(ref.keySet()), what + ": reference hook points");
            int start = batch.seqStarts()[s];
            for (String point : points) assertRowsClose(what + ", sequence " + s + ", " + point, ref.get(point), ours.get(point), start);
            assertRowsClose(what + ", sequence " + s + ", output", toDouble(expected), out, start);
        }
    }

    /**
     * An overwriting hook (layer 0's attention output scaled per position in its sequence, so it
     * must honour seqStarts) and a reading hook behind it at the same point, in ours and in the
     * reference alike.
     */
    private static void hooksReadAndOverwriteAsInReference(Parallel par) {
        BertCheckpoint ck = TinyBert.checkpoint(config("gelu"), 99);
        BertModel model = BertModel.fromTensors(ck.config(), ck.tensors());
        int[][] seqs = randomIds(ck.config(), new int[] {9, 30, 4, 17}, 100);
        Batch batch = Batch.of(seqs);
        int c = ck.config().hiddenSize();
        String point = "layer.0.attn_out";

        float[] plain = model.forward(par, batch, Hooks.NONE);
        double[][][] seen = new double[1][][];
        Hooks hooks = new Hooks()
                .add(point, (pt, a, tokens, width, starts) -> {
                    for (int s = 0; s + 1 < starts.length; s++) {
                        for (int r = starts[s]; r < starts[s + 1]; r++) {
                            for (int j = 0; j < width; j++) a[r * width + j] *= factor(r - starts[s]);
                        }
                    }
                })
                .add(point, (pt, a, tokens, width, starts) -> seen[0] = rows(a, tokens, width));
        float[] hooked = model.forward(par, batch, hooks);

        double changed = 0;
        for (int i = 0; i < plain.length; i++) changed = Math.max(changed, Math.abs(plain[i] - hooked[i]));
        assertTrue(changed > 1e-2, "overwriting " + point + " changes the output (max change " + changed + ")");
        double[][] out = rows(hooked, batch.tokens(), c);
        for (int s = 0; s < seqs.length; s++) {
            double[][][] refSeen = new double[1][][];
            float[][] expected = ReferenceBert.forward(ck, longs(seqs[s]), new long[seqs[s].length], (pt, a) -> {
                if (!pt.equals(point)) return;
                for (int r = 0; r < a.length; r++) for (int j = 0; j < a[r].length; j++) a[r][j] *= factor(r);
                refSeen[0] = copy(a);
            });
            int start = batch.seqStarts()[s];
            assertRowsClose("hooked, sequence " + s + ", " + point + " as the reading hook saw it", refSeen[0], seen[0], start);
            assertRowsClose("hooked, sequence " + s + ", output", toDouble(expected), out, start);
        }
    }

    private static float factor(int position) {
        return 1.5f - 0.1f * position;
    }

    /** expected [len][width] against rows [start, start + len) of ours [T][width], relative to expected's largest value. */
    private static void assertRowsClose(String what, double[][] expected, double[][] ours, int start) {
        double scale = 0, err = 0;
        int worstRow = -1, worstCol = -1;
        for (int r = 0; r < expected.length; r++) {
            assertEquals(expected[r].length, ours[start + r].length, what + ": width");
            for (int j = 0; j < expected[r].length; j++) {
                scale = Math.max(scale, Math.abs(expected[r][j]));
                double e = Math.abs(expected[r][j] - ours[start + r][j]);
                if (!(e <= err)) { // NaN counts as worst
                    err = e;
                    worstRow = r;
                    worstCol = j;
                }
            }
        }
        worst = Math.max(worst, err / scale);
        String msg = what + ": max |diff| " + err + " at [" + worstRow + "][" + worstCol + "] > " + TOL + " x " + scale;
        assertTrue(err <= TOL * scale, msg);
    }

    /** [tokens][width] of the first tokens x width values of a row-major array. */
    private static double[][] rows(float[] a, int tokens, int width) {
        double[][] r = new double[tokens][width];
        for (int t = 0; t < tokens; t++) for (int j = 0; j < width; j++) r[t][j] = a[t * width + j];
        return r;
    }

    private static int[][] randomIds(BertConfig cfg, int[] lengths, long seed) {
        Random rnd = new Random(seed);
        int[][] seqs = new int[lengths.length][];
        for (int s = 0; s < lengths.length; s++) {
            seqs[s] = new int[lengths[s]];
            for (int i = 0; i < lengths[s]; i++) seqs[s][i] = rnd.nextInt(cfg.vocabSize());
        }
        return seqs;
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int v : a) s += v;
        return s;
    }

    private static long[] longs(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) l[i] = a[i];
        return l;
    }

    private static double[][] toDouble(float[][] a) {
        double[][] d = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            d[i] = new double[a[i].length];
            for (int j = 0; j < a[i].length; j++) d[i][j] = a[i][j];
        }
        return d;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }
}
