// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.kernel.internal;

import java.util.List;
import java.util.Locale;

/** Lab (not a test): what the GEMM tile probe measures for each candidate, a few times over. */
public final class TileProbeLab {
    private TileProbeLab() {}

    public static void main(String[] args) {
        List<GemmTile> c = args.length > 0 ? java.util.Arrays.stream(args).map(GemmTile::parse).toList() : GemmTile.candidates(Species.registers());
        for (int run = 0; run < 4; run++) {
            double[] g = TileProbe.gflops(c);
            StringBuilder sb = new StringBuilder("run " + run + ":");
            for (int i = 0; i < g.length; i++) sb.append(String.format(Locale.ROOT, "  %s %.1f", c.get(i), g[i]));
            System.out.println(sb);
        }
    }
}
