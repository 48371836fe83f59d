// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.eval;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SpearmanTest {
    @Test
    void tiesGetAverageRanks() {
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, Spearman.ranks(new double[] {1, 5, 5, 9}));
    }

    @Test
    void matchesScipyOnAHandExample() {
        // scipy.stats.spearmanr([1,2,3,4,5],[5,6,7,8,7]) = 0.8207826816681233
        assertEquals(0.8207826816681233, Spearman.correlation(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}), 1e-12);
        assertEquals(-1.0, Spearman.correlation(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
    }

    @Test
    void csvHandlesQuotesCommasAndEscapedQuotes() {
        List<List<String>> rows = Csv.parse("a,\"b, c\",1.5\n\"say \"\"hi\"\"\",x,2\n", "t");
        assertEquals(List.of("a", "b, c", "1.5"), rows.get(0));
        assertEquals(List.of("say \"hi\"", "x", "2"), rows.get(1));
    }
}
