// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;
import dev.lacuna.VectorPaths;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@VectorPaths
class StaticMasksTest {
    /** A definition written independently of the mask records. */
    interface Rule {
        boolean allows(int i, int j, int n);
    }

    private static boolean[][] randomGrid(int size, long seed) {
        java.util.Random r = new java.util.Random(seed);
        boolean[][] g = new boolean[size][size];
        for (boolean[] row : g) for (int c = 0; c < size; c++) row[c] = r.nextInt(3) == 0;
        return g;
    }

    private static final boolean[][] GRID = randomGrid(10, 3);

    /** Each mask beside its definition. Head-dependent masks are bound to head 5 of 12. */
    private static Map<AttentionMask, Rule> cases() {
        Map<AttentionMask, Rule> m = new LinkedHashMap<>();
        m.put(new StaticMasks.Window(5), (i, j, n) -> i - j <= 5 && j - i <= 5);
        m.put(new StaticMasks.Window(0), (i, j, n) -> i == j);
        m.put(StaticMasks.sink(4, 8, false), (i, j, n) -> j < 4 || (i - j <= 8 && j - i <= 8));
        m.put(StaticMasks.sink(3, 2, true), (i, j, n) -> i < 3 || j < 3 || (i - j <= 2 && j - i <= 2));
        m.put(new StaticMasks.Strided(7, 2, 1), (i, j, n) -> Math.abs(i - j) <= 2 || (i - j) % 7 == 0);
        m.put(new StaticMasks.Strided(3, 5, 16), (i, j, n) -> Math.abs(i - j) <= 5 || Math.abs(i / 16 - j / 16) % 3 == 0);
        m.put(new StaticMasks.Sharded(0, 16, 4, 0).forHead(5, 12), (i, j, n) -> (j / 16) % 12 == 5 || Math.abs(i - j) <= 4);
        m.put(new StaticMasks.Sharded(4, 8, 0, 0).forHead(5, 12), (i, j, n) -> (j / 8) % 4 == 1 || i == j);
        m.put(new StaticMasks.Diagonals(new int[] {0}, 0), (i, j, n) -> i == j);
        m.put(new StaticMasks.Diagonals(new int[] {-40, 0, 33}, 3), (i, j, n) ->
                Math.abs(j - i + 40) <= 3 || Math.abs(j - i) <= 3 || Math.abs(j - i - 33) <= 3);
        m.put(new StaticMasks.Vertical(new int[] {90, 0, 7, 64, 7}), (i, j, n) -> j == 0 || j == 7 || j == 64 || j == 90);
        m.put(StaticMasks.verticalSlash(new int[] {1, 50}, new int[] {0, -1}, 1), (i, j, n) ->
                j == 1 || j == 50 || Math.abs(j - i) <= 1 || Math.abs(j - i + 1) <= 1);
        m.put(new StaticMasks.BlockDiagonals(16, new int[] {0, -40, 23}), (i, j, n) -> {
            int b0 = i / 16 * 16;
            return (j >= b0 && j < b0 + 16) || (j + 40 >= b0 && j + 40 < b0 + 16) || (j - 23 >= b0 && j - 23 < b0 + 16);
        });
        m.put(new StaticMasks.Union(new StaticMasks.Vertical(new int[] {3, 40, 41}), new StaticMasks.BlockDiagonals(32, new int[] {0, 64})),
                (i, j, n) -> j == 3 || j == 40 || j == 41 || j / 32 == i / 32 || (j - 64 >= 0 && (j - 64) / 32 == i / 32));
        m.put(new StaticMasks.BlockGrid(16, GRID), (i, j, n) -> GRID[i / 16][j / 16]);
        m.put(new StaticMasks.Union(new StaticMasks.Window(3), new StaticMasks.Vertical(new int[] {20, 21, 60})),
                (i, j, n) -> Math.abs(i - j) <= 3 || j == 20 || j == 21 || j == 60);
        return m;
    }

    @Test
    void eachMaskEqualsItsDefinition() {
        for (var c : cases().entrySet()) {
            for (int n : new int[] {1, 17, 150}) {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(c.getValue().allows(i, j, n), c.getKey().allows(i, j, n), c.getKey() + " at (" + i + ", " + j + ") n " + n);
                    }
                }
            }
        }
    }

    @Test
    void fastPathsAgreeWithDefinition() {
        for (var c : cases().keySet()) {
            for (int n : new int[] {1, 17, 150}) {
                for (int tile : new int[] {32, 64}) {
                    for (int i0 = 0; i0 < n; i0 += tile) {
                        int i1 = Math.min(n, i0 + tile);
                        KeyRanges kr = new KeyRanges();
                        c.ranges(i0, i1, n, tile, kr);
                        kr.normalize();
                        for (int i = i0; i < i1; i++) {
                            boolean[] row = new boolean[n];
                            c.allowRow(i, 0, n, n, row);
                            for (int j = 0; j < n; j++) {
                                boolean def = c.allows(i, j, n);
                                String at = c + " n " + n + " tile " + tile + " (" + i + ", " + j + ")";
                                assertEquals(def, row[j], "allowRow " + at);
                                int r = kr.rangeOf(j);
                                boolean col = Arrays.binarySearch(kr.columns(), 0, kr.columnCount(), j) >= 0;
                                if (def) assertTrue(r >= 0 || col, "allowed key not covered: " + at);
                                if (r >= 0 && kr.full(r)) assertTrue(def, "full range holds a masked key: " + at);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void blockSparseKernelEqualsMaskedReference() {
        for (var c : cases().keySet()) {
            for (int n : new int[] {1, 17, 100, 300}) {
                if (n > c.maxLength()) continue;
                Fixtures f = new Fixtures(n, n, 12, 32, 1.2f);
                for (boolean causal : new boolean[] {false, true}) {
                    int h = 5;
                    AttentionMask bound = c; // already bound to head 5 where it matters
                    float[] ref = f.run(new DenseAttention(bound, causal), h);
                    for (int tile : new int[] {32, 64}) {
                        BlockSparseAttention k = new BlockSparseAttention("t", bound, causal, tile);
                        double err = f.maxDiff(ref, f.run(k, h), h);
                        assertTrue(err < 1e-5, c + " n " + n + " causal " + causal + " tile " + tile + ": error " + err);
                        long kept = k.attendRows(f.q, f.k, f.v, new float[f.q.length], f.stride, f.start, n, h * 32, 32,
                                f.scale, new float[0], 0, n, null);
                        long want = 0;
                        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (bound.allows(i, j, n) && (!causal || j <= i)) want++;
                        assertEquals(want, kept, "kept pairs of " + c + " n " + n);
                    }
                }
            }
        }
    }

    @Test
    void everyMaskThatAllowsEveryKeyEqualsDense() {
        int n = 190;
        AttentionMask[] full = {
                new StaticMasks.Full(), new StaticMasks.Window(n), StaticMasks.sink(n, 0, false), StaticMasks.sink(1, n, true),
                new StaticMasks.Strided(1, 0, 1), new StaticMasks.Strided(1, 0, 64), new StaticMasks.Sharded(1, 64, 0, 0),
                new StaticMasks.Diagonals(new int[] {0}, n), new StaticMasks.Vertical(java.util.stream.IntStream.range(0, n).toArray()),
                StaticMasks.verticalSlash(new int[] {0, 5}, new int[] {0}, n), new StaticMasks.BlockGrid(64, allTrue(3))};
        Fixtures f = new Fixtures(77, n, 4, 32, 1.5f);
        for (boolean causal : new boolean[] {false, true}) {
            float[] dense = f.run(new FlashAttention(causal, 64), 2);
            for (AttentionMask m : full) {
                double err = f.maxDiff(dense, f.run(new BlockSparseAttention("full", m, causal, 64), 2), 2);
                assertTrue(err < 1e-5, m + " causal " + causal + ": error " + err);
            }
        }
    }

    @Test
    void s2ShardsCoverEveryKeyExactlyOnceAcrossHeads() {
        for (int heads : new int[] {12, 5}) {
            for (int block : new int[] {1, 16, 64}) {
                int n = 3000;
                int[] owners = new int[n];
                for (int h = 0; h < heads; h++) {
                    StaticMasks.Sharded s = (StaticMasks.Sharded) new StaticMasks.Sharded(0, block, 8, 0).forHead(h, heads);
                    for (int j = 0; j < n; j++) if (s.inShard(j)) owners[j]++;
                }
                for (int j = 0; j < n; j++) assertEquals(1, owners[j], "key " + j + " heads " + heads + " block " + block);
            }
        }
    }

    @Test
    void windowSkipsTiles() {
        int n = 1024;
        Fixtures f = new Fixtures(1, n, 1, 32, 1f);
        long kept = new BlockSparseAttention("window", new StaticMasks.Window(32)).attendRows(f.q, f.k, f.v,
                new float[f.q.length], f.stride, f.start, n, 0, 32, f.scale, new float[0], 0, n, null);
        long want = 0;
        for (int i = 0; i < n; i++) want += Math.min(n - 1, i + 32) - Math.max(0, i - 32) + 1;
        assertEquals(want, kept);
    }

    @Test
    void blockGridRejectsLongerSequences() {
        Fixtures f = new Fixtures(1, 100, 1, 32, 1f);
        var k = new BlockSparseAttention("block", new StaticMasks.BlockGrid(32, allTrue(3)));
        LacunaException e = assertThrows(LacunaException.class, () -> f.run(k, 0));
        assertTrue(e.getMessage().contains("100 tokens") && e.getMessage().contains("96"), e.getMessage());
    }

    private static boolean[][] allTrue(int n) {
        boolean[][] g = new boolean[n][n];
        for (boolean[] r : g) Arrays.fill(r, true);
        return g;
    }

}
