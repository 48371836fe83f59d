// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.attention.calibrate;

import dev.lacuna.LacunaException;
import dev.lacuna.attention.MethodSpec;
import dev.lacuna.attention.SparsePlan;
import dev.lacuna.encoder.SentenceEncoder;
import dev.lacuna.model.bert.BertConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The sparse-attention frontier, after "The Sparse Frontier" (Nawrot et al., 2025): training-free
 * sparse attention methods compared at fixed target sparsities across sequence lengths, with an
 * isoFLOPS view. Each point is a uniform plan (every layer and head runs the same method, its budget
 * parameter set from the target sparsity by {@link #budget}) judged by {@link PlanEvaluation} on
 * held-out windows of real text.
 *
 * <p>FLOPs per token count attention only (projections and MLP are the same for every method):
 * {@code attn_flops} is 4·D per attended (query, key) pair (QKᵀ and PV, 2 flops per multiply-add),
 * summed over layers and heads, divided by the tokens; {@code flops} adds the method's selection
 * overhead as its cost model in {@link dev.lacuna.attention.AttentionMethods} counts it (e.g. top-k
 * scores every pair exactly: 0.5 + 0.5·kept of dense; block-topk's pooled query: 1/(2B) of dense).
 */
public final class AttentionFrontier {
    /** Methods with a budget knob that {@link #budget} can set from a target sparsity. */
    public static final List<String> METHODS = List.of("topk", "block-topk", "vertical-slash", "indexer");

    /** The methods the command sweeps when none are given. */
    public static final List<String> DEFAULT_METHODS = List.of("topk", "block-topk", "vertical-slash");

    /**
     * One (method, length, target sparsity) point.
     *
     * @param measuredSparsity fraction of (query, key) pairs skipped, all layers and heads
     * @param attendedPairs    (query, key) pairs attended, all windows, layers and heads
     * @param attnFlops        4·D·attended pairs per token (all layers and heads)
     * @param flops            attnFlops plus the selection overhead of the method's cost model
     * @param denseFlops       dense attention's 4·D·N·L·H per token
     */
    public record Point(String method, int length, double targetSparsity, String spec, double measuredSparsity, long attendedPairs,
                        double attnFlops, double flops, double denseFlops, double meanCosine, double minCosine, int windows) {}

    private AttentionFrontier() {}

    /** Why a method cannot be swept, or null when {@link #budget} supports it. */
    public static String unsupported(String method) {
        if (dev.lacuna.attention.AttentionMethods.find(method) == null) return "unknown method";
        if (METHODS.contains(method)) return null;
        return switch (method) {
            case "dense" -> "it is the reference (cosine 1, sparsity 0)";
            case "topp", "adaspa", "dhsa" -> "its budget is an attention-mass threshold, not a pair count";
            case "blasst" -> "its budget is a weight threshold, not a pair count";
            case "skip" -> "it drops the whole head";
            default -> "it is a static mask or a method without one budget knob (no sparsity-to-parameter mapping)";
        };
    }

    /**
     * The method's spec with its budget set from a target sparsity s in (0, 1) at length n
     * (non-causal, every query attends (1-s)·n keys on average).
     * <ul>
     * <li>topk, indexer: k = max(1, round((1-s)·n)) keys per query (indexer: picked by its low-dim scores).</li>
     * <li>block-topk: blocks of 32, k = max(1, ceil((1-s)·blocks)) key blocks per query block, no forced
     *     local or sink block, mass 1 (k decides); below one block per query the measured sparsity
     *     stays at 1 - 32/n.</li>
     * <li>vertical-slash: tiles of 32; b = (1-s)·n keys per query split between the always-kept main block
     *     diagonal plus floor(b/64) - 1 extra slashes (block-granular, a tile of keys per query each) and
     *     vertical columns (the rest); see {@link #verticalSlash}.</li>
     * </ul>
     */
    public static MethodSpec budget(String method, double s, int n) {
        if (!(s > 0 && s < 1)) throw new LacunaException("sparsity must be in (0, 1), got " + s);
        if (n < 1) throw new LacunaException("length must be >= 1, got " + n);
        double keep = (1 - s) * n;
        return switch (method) {
            case "topk" -> MethodSpec.parse("topk", Map.of("k", Integer.toString(topK(s, n))));
            case "indexer" -> MethodSpec.parse("indexer", Map.of("k", Integer.toString(topK(s, n))));
            case "block-topk" -> {
                int b = blockSize(n);
                yield MethodSpec.parse("block-topk", Map.of("block", Integer.toString(b), "k", Integer.toString(blockK(s, n)),
                        "mass", "1.0", "local", "-1", "sink", "false"));
            }
            case "vertical-slash" -> {
                int[] vs = verticalSlash(s, n);
                yield MethodSpec.parse("vertical-slash", Map.of("verticals", Integer.toString(vs[0]), "slashes", Integer.toString(vs[1]),
                        "tile", Integer.toString(VS_TILE)));
            }
            default -> throw new LacunaException("attention frontier: method '" + method + "' has no sparsity mapping: " + unsupported(method));
        };
    }

    /** "name key=value ..." with every parameter but causal: the budget in full, defaults included. */
    static String describe(MethodSpec spec) {
        StringBuilder b = new StringBuilder(spec.name());
        spec.params().forEach((k, v) -> {
            if (!k.equals("causal")) b.append(' ').append(k).append('=').append(v);
        });
        return b.toString();
    }

    /** top-k's k at sparsity s, length n. */
    static int topK(double s, int n) {
        return Math.max(1, (int) Math.round((1 - s) * n));
    }

    /** vertical-slash's tile: its slashes are block-granular, a tile of keys per query each. */
    static final int VS_TILE = 32;

    /**
     * vertical-slash's {verticals, slashes} at sparsity s, length n: the main block diagonal (always
     * kept, one tile of keys per query) counts against the budget b = (1-s)·n keys per query; about half
     * of b goes to extra slashes, the rest to vertical columns. Below one tile per query the main
     * diagonal alone exceeds the budget and the measured sparsity falls short of the target.
     */
    static int[] verticalSlash(double s, int n) {
        double keep = (1 - s) * n;
        int slashes = Math.max(0, (int) Math.floor(keep / 2 / VS_TILE) - 1);
        int verticals = Math.max(0, (int) Math.round(keep - (slashes + 1) * VS_TILE));
        return new int[] {verticals, slashes};
    }

    /** block-topk's block size at length n: the smallest allowed (32), for the finest budget steps. */
    static int blockSize(int n) {
        return 32;
    }

    /** block-topk's k (key blocks per query block) at sparsity s, length n. */
    static int blockK(double s, int n) {
        int blocks = (n + blockSize(n) - 1) / blockSize(n);
        return Math.max(1, (int) Math.ceil((1 - s) * blocks - 1e-9));
    }

    /** A plan with every layer and head running {@code spec}. */
    public static SparsePlan uniform(BertConfig cfg, int layers, MethodSpec spec) {
        List<SparsePlan.Entry> es = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < cfg.numAttentionHeads(); h++) es.add(new SparsePlan.Entry(l, h, spec, Double.NaN, Double.NaN, Double.NaN, "", false));
        }
        return new SparsePlan("frontier", layers, cfg.numAttentionHeads(), es, Map.of("source", "attention frontier", "method", describe(spec)));
    }

    /**
     * Sweeps methods x lengths x sparsities on windows of {@code text}, skipping the first {@code skip}.
     * Methods without a mapping must be filtered out first ({@link #unsupported}).
     */
    public static List<Point> sweep(SentenceEncoder encoder, List<String> methods, List<Double> sparsities, List<Integer> lengths,
                                    List<String> text, int skip, int windows, int threads, Consumer<String> progress) {
        var model = encoder.model();
        BertConfig cfg = model.config();
        int layers = model.layerCount(), heads = cfg.numAttentionHeads(), d = cfg.headDim();
        List<Point> out = new ArrayList<>();
        for (int n : lengths) {
            for (String m : methods) {
                for (double s : sparsities) {
                    MethodSpec spec = budget(m, s, n);
                    progress.accept(String.format(java.util.Locale.ROOT, "attention frontier: %s n=%d s=%.4f (%s)", m, n, s, describe(spec)));
                    PlanEvaluation.Result r = PlanEvaluation.evaluate(encoder, uniform(cfg, layers, spec), text, n, skip, windows, threads);
                    double pairsPerHead = (double) r.windows() * n * n;
                    long attended = Math.round((1 - r.sparsity()) * pairsPerHead * layers * heads);
                    double tokens = (double) r.windows() * n;
                    double dense = 4.0 * d * n * layers * heads;
                    double attn = 4.0 * d * attended / tokens;
                    double flops = spec.relativeFlops(1 - r.sparsity(), n, d) * dense;
                    out.add(new Point(m, n, s, describe(spec), r.sparsity(), attended, attn, flops, dense, r.meanCosine(), r.minCosine(), r.windows()));
                }
            }
        }
        return out;
    }

    /** One synthetic long-N point: {@link AttentionBenchmark}'s mass recall and relative error vs dense. */
    public record SyntheticPoint(String method, int length, double targetSparsity, String spec, double measuredSparsity, double massRecall,
                                 double relError, double flops, double denseFlops) {}

    /** Synthetic q/k/v (12 heads of 32 dims, planted structure) at each length; quality on sampled query tiles. */
    public static List<SyntheticPoint> synthetic(List<String> methods, List<Double> sparsities, List<Integer> lengths, int threads,
                                                 Consumer<String> progress) {
        int heads = 12, d = 32;
        AttentionBenchmark.Options o = AttentionBenchmark.Options.defaults();
        o = new AttentionBenchmark.Options(1, o.sampleTiles(), o.layer(), o.cacheDir(), false);
        List<SyntheticPoint> out = new ArrayList<>();
        for (int n : lengths) {
            AttentionBenchmark.Inputs in = AttentionBenchmark.inputs("synthetic", n, heads, d, 1, o);
            for (String m : methods) {
                for (double s : sparsities) {
                    MethodSpec spec = budget(m, s, n);
                    progress.accept(String.format(java.util.Locale.ROOT, "attention frontier: synthetic %s n=%d s=%.4f (%s)", m, n, s, describe(spec)));
                    AttentionBenchmark.Result r = AttentionBenchmark.run(spec, spec.params().keySet(), in, Double.NaN, threads, 1, o);
                    double dense = 4.0 * d * n * heads;
                    out.add(new SyntheticPoint(m, n, s, describe(spec), r.sparsity(), r.massRecall(), r.relError(),
                            spec.relativeFlops(1 - r.sparsity(), n, d) * dense, dense));
                }
            }
        }
        return out;
    }

    /** The points as CSV, a header line first. */
    public static String csv(List<Point> points) {
        StringBuilder b = new StringBuilder("method,length,target_sparsity,measured_sparsity,attended_pairs,attn_flops_per_token,flops_per_token,"
                + "dense_flops_per_token,mean_cosine,min_cosine,windows,spec\n");
        for (Point p : points) {
            b.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.5f,%d,%.0f,%.0f,%.0f,%.6f,%.6f,%d,%s%n", p.method(), p.length(), p.targetSparsity(),
                    p.measuredSparsity(), p.attendedPairs(), p.attnFlops(), p.flops(), p.denseFlops(), p.meanCosine(), p.minCosine(), p.windows(), p.spec()));
        }
        return b.toString();
    }

    /** The synthetic points as CSV, a header line first. */
    public static String syntheticCsv(List<SyntheticPoint> points) {
        StringBuilder b = new StringBuilder("method,length,target_sparsity,measured_sparsity,mass_recall,rel_error,flops_per_token,dense_flops_per_token,spec\n");
        for (SyntheticPoint p : points) {
            b.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.5f,%.6f,%.6f,%.0f,%.0f,%s%n", p.method(), p.length(), p.targetSparsity(),
                    p.measuredSparsity(), p.massRecall(), p.relError(), p.flops(), p.denseFlops(), p.spec()));
        }
        return b.toString();
    }
}
