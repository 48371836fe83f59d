// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * S2-Attention's context sharding (Lin et al., 2024) as the {@code s2} method runs it: per head, the
 * kernel must keep exactly the brute-force set (key blocks b with b mod shards == head mod shards, plus
 * the local window |i - j| <= window, causal or not) and return exact attention over it; and across the
 * heads those sets together reach every visible key of every query (the union of shards is the whole
 * context, the paper's condition for no information loss). Packed sequences of ragged lengths.
 */
class S2ShardsTest {
    static SelectionCheck.Reference reference(int shards, int block, int window, int heads, boolean causal) {
        return (f, start, n, head, i) -> {
            int s = shards > 0 ? shards : heads, lim = causal ? i + 1 : n;
            return SelectionCheck.Keys.exactly(java.util.stream.IntStream.range(0, lim)
                    .filter(j -> (j / block) % s == head % s || Math.abs(i - j) <= window).toArray());
        };
    }

    @Test
    void eachHeadKeepsItsShardAndTheShardsCoverTheContext() {
        int[][] lengths = {{300, 29, 130, 77}, {513}, {64, 200, 31, 96}};
        // {seed, lengths, heads, shards (0: one per head), block, window, causal}
        int[][] cases = {{121, 0, 4, 0, 16, 4, 0}, {122, 1, 6, 3, 32, 8, 1}, {123, 2, 5, 0, 8, 0, 0}, {124, 0, 6, 4, 64, 16, 1}};
        for (int[] c : cases) {
            int[] lens = lengths[c[1]];
            int heads = c[2];
            boolean causal = c[6] == 1;
            Fixtures f = new Fixtures(c[0], Arrays.stream(lens).sum(), heads, 32, 1.5f);
            AttentionKernel kern = MethodSpec.kernel("s2", Map.of("shards", Integer.toString(c[3]), "block", Integer.toString(c[4]),
                    "window", Integer.toString(c[5]), "causal", Boolean.toString(causal)));
            SelectionCheck.Reference ref = reference(c[3], c[4], c[5], heads, causal);
            for (int h = 0; h < heads; h++) SelectionCheck.check(kern, f, h, lens, ref, false, "s2 " + Arrays.toString(c) + " head " + h);
            // the sets just checked against the kernel, united over the heads: every visible key of every query
            int off = f.start;
            for (int n : lens) {
                for (int i = 0; i < n; i++) {
                    boolean[] reached = new boolean[n];
                    for (int h = 0; h < heads; h++) for (int j : ref.keys(f, off, n, h, i).sure()) reached[j] = true;
                    for (int j = 0; j < (causal ? i + 1 : n); j++) {
                        assertTrue(reached[j], "s2 " + Arrays.toString(c) + ": sequence length " + n + " query " + i + " key " + j + " reached by no head");
                    }
                }
                off += n;
            }
        }
    }
}
