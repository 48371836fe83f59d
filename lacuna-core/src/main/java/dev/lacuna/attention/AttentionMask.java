// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

/**
 * A static attention mask: which keys each query may attend to. {@link #allows} is the
 * definition; {@link #ranges} and {@link #allowRow} are the fast paths a block-sparse kernel uses,
 * and must agree with it (tests check that they do for every mask of {@link StaticMasks}).
 *
 * <p>Indices are positions within one sequence of {@code n} tokens: query i, key j, both in [0, n).
 */
public interface AttentionMask {
    /** Whether query i may attend to key j in a sequence of n tokens. */
    boolean allows(int i, int j, int n);

    /** This mask as seen by head {@code head} of {@code heads} (S2 shards differ per head). */
    default AttentionMask forHead(int head, int heads) {
        return this;
    }

    /**
     * Adds to {@code out} every key that some query of [i0, i1) may attend to: ranges (full where all
     * of the tile's queries may attend every key of the range) and isolated columns. May
     * over-approximate with partial ranges; {@link #allowRow} decides inside them.
     * The default scans blocks of {@code block} keys with {@link #allows}: correct but slow.
     */
    default void ranges(int i0, int i1, int n, int block, KeyRanges out) {
        for (int j0 = 0; j0 < n; j0 += block) {
            int j1 = Math.min(n, j0 + block);
            boolean any = false, all = true;
            for (int i = i0; i < i1; i++) {
                for (int j = j0; j < j1; j++) {
                    boolean a = allows(i, j, n);
                    any |= a;
                    all &= a;
                }
            }
            if (any) out.add(j0, j1, all, n);
        }
    }

    /** Sets row[c] = true for every key j0 + c (c in [0, count)) that query i may attend; never clears. */
    default void allowRow(int i, int j0, int count, int n, boolean[] row) {
        for (int c = 0; c < count; c++) if (allows(i, j0 + c, n)) row[c] = true;
    }

    /** The longest sequence this mask is defined for. */
    default int maxLength() {
        return Integer.MAX_VALUE;
    }
}
