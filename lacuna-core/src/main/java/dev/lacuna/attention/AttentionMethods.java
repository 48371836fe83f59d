// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.AttentionMethod.BudgetLadder;
import dev.lacuna.attention.AttentionMethod.CostModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every attention method, each declared once: name, one-line description, parameters with
 * defaults, factory, cost model and budget ladder. {@link MethodSpec} parses against it, the
 * calibrator costs candidates with it, the benchmark tunes budgets with it, the CLI lists it.
 *
 * <p>Every method also takes {@code causal} (false) and, where it is tiled, {@code tile} (64, a
 * multiple of 32). Cost models count work relative to dense attention's 4·N²·D flops given the
 * fraction of pairs kept: static masks cost what they keep; exact-score methods pay all of QKᵀ.
 */
public final class AttentionMethods {
    private AttentionMethods() {}

    private static final boolean TILED = true, UNTILED = false;
    private static final int MAX = Integer.MAX_VALUE;

    /** In the order help texts and error messages list them. */
    private static final List<AttentionMethod> ALL = List.of(
            AttentionMethod.of("dense", "exact flash attention", TILED, List.of(),
                    (p, causal) -> new FlashAttention(causal, p.tile()),
                    (p, kept, n, d) -> 1.0, BudgetLadder.NONE),
            AttentionMethod.of("window", "keys with |i - j| <= window", TILED, List.of("window", "128"),
                    (p, causal) -> masked(p, new StaticMasks.Window(p.nonNegative("window")), causal),
                    CostModel.KEPT, (n, t) -> doubling("window", n)),
            AttentionMethod.of("sink", "A-shape: first keys + window (global: sink rows see all)", TILED,
                    List.of("sinks", "4", "window", "128", "global", "false"),
                    (p, causal) -> masked(p, StaticMasks.sink(p.nonNegative("sinks"), p.nonNegative("window"), p.bool("global")), causal),
                    CostModel.KEPT, (n, t) -> doubling("window", n)),
            AttentionMethod.of("strided", "|i - j| <= local, or (i/unit - j/unit) mod stride = 0", TILED,
                    List.of("stride", "4", "local", "64", "unit", "64"),
                    (p, causal) -> masked(p, new StaticMasks.Strided(p.integer("stride", 1, MAX), p.nonNegative("local"),
                            p.integer("unit", 1, 1 << 20)), causal),
                    CostModel.KEPT, (n, t) -> {
                        List<Map<String, String>> l = new ArrayList<>();
                        for (int s = 256; s >= 1; s /= 2) l.add(Map.of("stride", Integer.toString(s)));
                        return l;
                    }),
            AttentionMethod.of("s2", "key block b goes to head b mod shards (0: one per head)", TILED,
                    List.of("shards", "0", "block", "64", "window", "64"),
                    (p, causal) -> masked(p, new StaticMasks.Sharded(p.integer("shards", 0, 1 << 20), p.integer("block", 1, 1 << 20),
                            p.nonNegative("window"), 0), causal),
                    CostModel.KEPT, (n, t) -> doubling("window", n)),
            AttentionMethod.of("block", "block mask, rows of 0/1 separated by ';', e.g. 110;111;011", TILED,
                    List.of("size", "64", "grid", "none"),
                    (p, causal) -> masked(p, new StaticMasks.BlockGrid(p.integer("size", 1, 1 << 20), p.grid("grid")), causal),
                    CostModel.KEPT, BudgetLadder.NONE),
            AttentionMethod.of("diagonal", "|j - i - o| <= width for an offset o (comma list)", TILED,
                    List.of("offsets", "0", "width", "32"),
                    (p, causal) -> masked(p, new StaticMasks.Diagonals(p.ints("offsets"), p.nonNegative("width")), causal),
                    CostModel.KEPT, (n, t) -> doubling("width", n)),
            AttentionMethod.of("vertical", "listed key columns (+ a window when window > 0)", TILED,
                    List.of("columns", "0", "window", "0"),
                    (p, causal) -> {
                        int w = p.nonNegative("window");
                        AttentionMask v = new StaticMasks.Vertical(p.nonNegativeInts("columns"));
                        return masked(p, w > 0 ? new StaticMasks.Union(v, new StaticMasks.Window(w)) : v, causal);
                    },
                    CostModel.KEPT, BudgetLadder.NONE),
            // MInference (Jiang et al., 2024, section 3.2); its cost: the last `samples` queries score every key
            AttentionMethod.of("vertical-slash", "estimated per input (MInference), slashes block-granular; "
                            + "or static with columns=... offsets=... width=32 (exact diagonals)", TILED,
                    List.of("verticals", "64", "slashes", "8", "width", "32", "samples", "64", "columns", "auto", "offsets", "0"),
                    AttentionMethods::verticalSlash,
                    (p, kept, n, d) -> 0.5 * Math.min(1.0, (double) p.integer("samples", 1, 1 << 16) / n) + kept,
                    (n, t) -> {
                        List<Map<String, String>> l = new ArrayList<>();
                        for (int v = 32; v < 2 * n; v *= 2) {
                            l.add(Map.of("verticals", Integer.toString(v), "slashes", Integer.toString(Math.max(4, v / 8))));
                        }
                        return l;
                    }),
            AttentionMethod.of("topk", "the k highest-scoring keys per query (exact scores)", UNTILED, List.of("k", "64"),
                    (p, causal) -> TopKAttention.topK(p.positive("k"), causal),
                    CostModel.EXACT_SCORES, (n, t) -> doubling("k", n)),
            AttentionMethod.of("topp", "smallest key set with softmax mass >= p per query (exact)", UNTILED, List.of("p", "0.95"),
                    (p, causal) -> TopKAttention.topP(p.fraction("p"), causal),
                    CostModel.EXACT_SCORES, (n, t) -> List.of(Map.of("p", Double.toString(Math.max(t, 1e-6))))),
            // its cost: one pooled query per block of B scores every key
            AttentionMethod.of("block-topk", "key blocks ranked by a pooled estimate, kept to k blocks or to the estimated mass", UNTILED,
                    List.of("block", "64", "mass", "0.95", "k", "0", "local", "0", "sink", "true", "estimate", "query"),
                    AttentionMethods::blockTopK,
                    (p, kept, n, d) -> 1.0 / (2 * p.blockSize("block")) + kept, (n, t) -> masses()),
            // AdaSpa: its search scores every pair exactly (half of dense), then flash scores and weighs the chosen blocks again
            AttentionMethod.of("adaspa", "blockified: key blocks chosen per query block by exact mass until it reaches mass (AdaSpa's "
                            + "LSE-cached precise search), head-adaptive", UNTILED,
                    List.of("block", "64", "mass", "0.95"),
                    (p, causal) -> new AdaSpaAttention(p.blockSize("block"), p.fraction("mass"), causal),
                    (p, kept, n, d) -> 0.5 + kept, (n, t) -> masses()),
            // indexer family: its cost is the dim-wide projected scores of every pair
            AttentionMethod.of("indexer", "low-dim projected scores pick keys (DSA/RTPurbo)", UNTILED,
                    List.of("dim", "16", "k", "256", "p", "0", "sample", "1024"),
                    (p, causal) -> new IndexerAttention(IndexerAttention.Mode.FLAT, p.integer("dim", 1, 1 << 10), p.positive("k"),
                            p.optionalFraction("p"), 0, 0, 1, 1, p.integer("sample", 16, 1 << 24), causal),
                    AttentionMethods::indexerFlops, (n, t) -> doubling("k", n)),
            AttentionMethod.of("hisa", "block filter, then the indexer inside kept blocks", UNTILED,
                    List.of("dim", "16", "block", "64", "blocks", "16", "k", "256", "sample", "1024"),
                    (p, causal) -> new IndexerAttention(IndexerAttention.Mode.HIERARCHICAL, p.integer("dim", 1, 1 << 10), p.positive("k"),
                            0, p.blockSize("block"), p.positive("blocks"), 1, 1, p.integer("sample", 16, 1 << 24), causal),
                    AttentionMethods::indexerFlops, (n, t) -> {
                        List<Map<String, String>> l = new ArrayList<>();
                        for (int k = 16; k < 2 * n; k *= 2) {
                            l.add(Map.of("k", Integer.toString(k), "blocks", Integer.toString(Math.max(8, Math.min(n / 64 + 1, 4 * k / 64)))));
                        }
                        return l;
                    }),
            AttentionMethod.of("misa", "a router picks indexer heads per query", UNTILED,
                    List.of("dim", "8", "heads", "4", "active", "2", "block", "64", "k", "256", "sample", "1024"),
                    AttentionMethods::misa, AttentionMethods::indexerFlops, (n, t) -> doubling("k", n)),
            // its cost: chunk summaries of at least `min` tokens score every pair of chunks
            AttentionMethod.of("dhsa", "dynamic chunks, length-normalised chunk scores", UNTILED,
                    List.of("min", "16", "max", "128", "mass", "0.95", "k", "0"),
                    AttentionMethods::dhsa,
                    (p, kept, n, d) -> 1.0 / (2 * p.positive("min")) + kept, (n, t) -> masses()),
            AttentionMethod.of("blasst", "skip tiles whose weights are all below threshold (auto: threshold = c / N)", TILED,
                    List.of("threshold", "auto", "c", "4"),
                    AttentionMethods::blasst, CostModel.EXACT_SCORES, (n, t) -> {
                        List<Map<String, String>> l = new ArrayList<>();
                        for (double c : new double[] {4096, 1024, 256, 128, 64, 32, 16, 8, 4, 2, 1, 0.5, 0.25, 0.1, 0.03, 0.01}) {
                            l.add(Map.of("c", Double.toString(c)));
                        }
                        return l;
                    }),
            // Sparse-vDiT (Chen et al., 2025): a head whose output barely matters is not computed at all
            AttentionMethod.of("skip", "the head is not computed: its output is zero (head skipping)", UNTILED, List.of(),
                    (p, causal) -> new SkippedHead(), (p, kept, n, d) -> 0.0, BudgetLadder.NONE));

    private static final Map<String, AttentionMethod> BY_NAME = byName();

    /** Every method, in the documented order. */
    public static List<AttentionMethod> all() {
        return ALL;
    }

    /** Every method's name, in the documented order. */
    public static List<String> names() {
        return ALL.stream().map(AttentionMethod::name).toList();
    }

    /** The method of that name, or null. */
    public static AttentionMethod find(String name) {
        return name == null ? null : BY_NAME.get(name);
    }

    // ---- factories with more than one statement; each checks its values in the order messages name them

    private static AttentionKernel masked(MethodParams p, AttentionMask m, boolean causal) {
        return new BlockSparseAttention(p.method(), m, causal, p.tile());
    }

    private static AttentionKernel verticalSlash(MethodParams p, boolean causal) {
        int width = p.nonNegative("width");
        if (!p.text("columns").equals("auto")) {
            return masked(p, StaticMasks.verticalSlash(p.nonNegativeInts("columns"), p.ints("offsets"), width), causal);
        }
        return new VerticalSlashAttention(p.integer("verticals", 0, 1 << 24), p.integer("slashes", 0, 1 << 24),
                p.integer("samples", 1, 1 << 16), causal, p.tile());
    }

    private static AttentionKernel blockTopK(MethodParams p, boolean causal) {
        int k = p.integer("k", 0, 1 << 24);
        double mass = p.fraction("mass");
        String est = p.text("estimate");
        BlockTopKAttention.Estimator e = switch (est) {
            case "query" -> BlockTopKAttention.Estimator.QUERY;
            case "mean" -> BlockTopKAttention.Estimator.MEAN;
            default -> throw new LacunaException(p.method() + ": estimate must be query or mean, got '" + est + "'");
        };
        return new BlockTopKAttention(p.blockSize("block"), k, mass, p.integer("local", -1, 1 << 20), p.bool("sink"), causal, e);
    }

    private static AttentionKernel misa(MethodParams p, boolean causal) {
        int heads = p.positive("heads"), active = p.positive("active");
        if (active > heads) throw new LacunaException(p.method() + ": active (" + active + ") exceeds heads (" + heads + ")");
        return new IndexerAttention(IndexerAttention.Mode.MIXTURE, p.integer("dim", 1, 1 << 10), p.positive("k"), 0,
                p.blockSize("block"), 0, heads, active, p.integer("sample", 16, 1 << 24), causal);
    }

    private static AttentionKernel dhsa(MethodParams p, boolean causal) {
        int min = p.positive("min"), max = p.positive("max");
        if (max < min) throw new LacunaException(p.method() + ": max (" + max + ") is below min (" + min + ")");
        return new ChunkedAttention(min, max, p.fraction("mass"), p.integer("k", 0, 1 << 24), causal);
    }

    private static AttentionKernel blasst(MethodParams p, boolean causal) {
        String t = p.text("threshold");
        double c = p.number("c", 0, 1e9);
        double th = t.equals("auto") ? Double.NaN : p.number("threshold", 0, 1 - 1e-9);
        if (causal) throw new LacunaException(p.method() + ": causal is not supported");
        return new BlasstAttention(th, c, p.tile());
    }

    // ---- cost models and budget ladders shared by several methods

    private static double indexerFlops(MethodParams p, double kept, int n, int headDim) {
        return p.integer("dim", 1, 1 << 10) / (2.0 * headDim) + kept;
    }

    /** key = 16, 32, ... below 2n. */
    private static List<Map<String, String>> doubling(String key, int n) {
        List<Map<String, String>> l = new ArrayList<>();
        for (int x = 16; x < 2 * n; x *= 2) l.add(Map.of(key, Integer.toString(x)));
        return l;
    }

    private static List<Map<String, String>> masses() {
        List<Map<String, String>> l = new ArrayList<>();
        for (double m : new double[] {0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999, 1.0}) l.add(Map.of("mass", Double.toString(m)));
        return l;
    }

    private static Map<String, AttentionMethod> byName() {
        Map<String, AttentionMethod> m = new LinkedHashMap<>();
        for (AttentionMethod a : ALL) {
            if (m.put(a.name(), a) != null) throw new IllegalStateException("attention method " + a.name() + " is declared twice");
        }
        return m;
    }
}
