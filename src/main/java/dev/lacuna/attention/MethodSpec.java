package dev.lacuna.attention;

import dev.lacuna.LacunaException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An attention method by name with its parameters, validated, defaults filled in; {@link #kernel()}
 * builds it. Parameters are key=value strings, as given on a command line or in a plan file.
 *
 * <p>Every method takes {@code causal} (false) and, where it tiles, {@code tile} (64). Methods and
 * their own parameters, with defaults:
 * <pre>
 * dense           exact flash attention
 * window          window=128                 keys with |i - j| &lt;= window
 * sink            sinks=4 window=128 global=false   A-shape: first keys + window (global: sink rows see all)
 * strided         stride=4 local=64 unit=64  |i - j| &lt;= local, or (i/unit - j/unit) mod stride = 0
 * s2              shards=0 block=64 window=64   key block b goes to head b mod shards (0: one per head)
 * block           size=64 grid=(required)    block mask, rows of 0/1 separated by ';', e.g. 110;111;011
 * diagonal        offsets=0 width=32         |j - i - o| &lt;= width for an offset o (comma list)
 * vertical        columns=0 window=0         listed key columns (+ a window when window &gt; 0)
 * vertical-slash  verticals=64 slashes=8 samples=64: estimated per input (MInference), slashes
 *                 block-granular; or static with columns=... offsets=... width=32 (exact diagonals)
 * topk            k=64                       the k highest-scoring keys per query (exact scores)
 * topp            p=0.95                     smallest key set with softmax mass &gt;= p per query (exact)
 * block-topk      block=64 mass=0.95 k=0 local=0 sink=true estimate=query   pooled block estimate
 * indexer         dim=16 k=256 p=0 sample=1024   low-dim projected scores pick keys (DSA/RTPurbo)
 * hisa            dim=16 block=64 blocks=16 k=256   block filter, then the indexer inside kept blocks
 * misa            dim=8 heads=4 active=2 block=64 k=256   a router picks indexer heads per query
 * dhsa            min=16 max=128 mass=0.95 k=0  dynamic chunks, length-normalised chunk scores
 * blasst          threshold=auto c=4          skip tiles whose weights are all below threshold
 *                                            (auto: threshold = c / N)
 * </pre>
 */
public record MethodSpec(String name, Map<String, String> params) {
    /** Every method name, in the order above. */
    public static final List<String> METHODS = List.of("dense", "window", "sink", "strided", "s2", "block", "diagonal",
            "vertical", "vertical-slash", "topk", "topp", "block-topk", "indexer", "hisa", "misa", "dhsa", "blasst");

    private static final Map<String, Map<String, String>> DEFAULTS = defaults();

    public MethodSpec {
        params = Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /**
     * Validates a method and its parameters and fills in defaults.
     *
     * @throws LacunaException naming the method or parameter at fault
     */
    public static MethodSpec parse(String name, Map<String, String> params) {
        if (name == null || !DEFAULTS.containsKey(name)) {
            throw new LacunaException("unknown attention method '" + name + "' (methods: " + String.join(", ", METHODS) + ")");
        }
        Map<String, String> d = DEFAULTS.get(name);
        Map<String, String> all = new LinkedHashMap<>(d);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!d.containsKey(e.getKey())) {
                throw new LacunaException(name + ": unknown parameter '" + e.getKey() + "' (parameters: "
                        + String.join(", ", d.keySet()) + ")");
            }
            if (e.getValue() == null || e.getValue().isBlank()) throw new LacunaException(name + ": parameter " + e.getKey() + " is empty");
            all.put(e.getKey(), e.getValue().strip());
        }
        MethodSpec spec = new MethodSpec(name, all);
        spec.kernel(); // validates every value
        return spec;
    }

    /** {@link #parse} then {@link #kernel()}. */
    public static AttentionKernel kernel(String name, Map<String, String> params) {
        return parse(name, params).kernel();
    }

    /** Parses "name" or "name:key=value,key=value" (commas inside list values: use ';' between params). */
    public static MethodSpec parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) return parse(text.strip(), Map.of());
        Map<String, String> p = new LinkedHashMap<>();
        String body = text.substring(colon + 1);
        for (String kv : body.split(body.contains(";") ? ";" : ",(?=[a-z_-]+=)")) {
            if (kv.isBlank()) continue;
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new LacunaException(text + ": expected key=value, got '" + kv + "'");
            p.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return parse(text.substring(0, colon).strip(), p);
    }

    /** The default parameters of a method. */
    public static Map<String, String> defaults(String name) {
        Map<String, String> d = DEFAULTS.get(name);
        if (d == null) throw new LacunaException("unknown attention method '" + name + "'");
        return d;
    }

    /** A copy with some parameters replaced (validated). */
    public MethodSpec with(Map<String, String> changes) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.putAll(changes);
        return parse(name, p);
    }

    /** "name key=value ..." with only the parameters that differ from the defaults. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name);
        Map<String, String> d = DEFAULTS.get(name);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!e.getValue().equals(d.get(e.getKey()))) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** Builds the kernel. */
    public AttentionKernel kernel() {
        boolean causal = bool("causal");
        return switch (name) {
            case "dense" -> new FlashAttention(causal, tile());
            case "window" -> pattern(new Patterns.Window(integer("window", 0, Integer.MAX_VALUE)), causal);
            case "sink" -> pattern(Patterns.sink(integer("sinks", 0, Integer.MAX_VALUE), integer("window", 0, Integer.MAX_VALUE),
                    bool("global")), causal);
            case "strided" -> pattern(new Patterns.Strided(integer("stride", 1, Integer.MAX_VALUE),
                    integer("local", 0, Integer.MAX_VALUE), integer("unit", 1, 1 << 20)), causal);
            case "s2" -> pattern(new Patterns.Sharded(integer("shards", 0, 1 << 20), integer("block", 1, 1 << 20),
                    integer("window", 0, Integer.MAX_VALUE), 0), causal);
            case "block" -> pattern(new Patterns.BlockGrid(integer("size", 1, 1 << 20), grid()), causal);
            case "diagonal" -> pattern(new Patterns.Diagonals(ints("offsets"), integer("width", 0, Integer.MAX_VALUE)), causal);
            case "vertical" -> {
                int w = integer("window", 0, Integer.MAX_VALUE);
                AttentionMask v = new Patterns.Vertical(nonNegative(ints("columns"), "columns"));
                yield pattern(w > 0 ? new Patterns.Union(v, new Patterns.Window(w)) : v, causal);
            }
            case "vertical-slash" -> {
                int width = integer("width", 0, Integer.MAX_VALUE);
                if (params.containsKey("columns") && !params.get("columns").equals("auto")) {
                    yield pattern(Patterns.verticalSlash(nonNegative(ints("columns"), "columns"), ints("offsets"), width), causal);
                }
                yield new VerticalSlashAttention(integer("verticals", 0, 1 << 24), integer("slashes", 0, 1 << 24),
                        integer("samples", 1, 1 << 16), causal, tile());
            }
            case "topk" -> TopKAttention.topK(positive("k"), causal);
            case "topp" -> TopKAttention.topP(fraction("p"), causal);
            case "block-topk" -> {
                int k = integer("k", 0, 1 << 24);
                double mass = fraction("mass");
                String est = params.get("estimate");
                BlockTopKAttention.Estimator e = switch (est) {
                    case "query" -> BlockTopKAttention.Estimator.QUERY;
                    case "mean" -> BlockTopKAttention.Estimator.MEAN;
                    default -> throw new LacunaException(name + ": estimate must be query or mean, got '" + est + "'");
                };
                yield new BlockTopKAttention(blockSize("block"), k, mass, integer("local", -1, 1 << 20), bool("sink"), causal, e);
            }
            case "indexer" -> new IndexerAttention(IndexerAttention.Mode.FLAT, integer("dim", 1, 1 << 10), positive("k"),
                    optionalFraction("p"), 0, 0, 1, 1, integer("sample", 16, 1 << 24), causal);
            case "hisa" -> new IndexerAttention(IndexerAttention.Mode.HIERARCHICAL, integer("dim", 1, 1 << 10), positive("k"),
                    0, blockSize("block"), positive("blocks"), 1, 1, integer("sample", 16, 1 << 24), causal);
            case "misa" -> {
                int heads = positive("heads"), active = positive("active");
                if (active > heads) throw new LacunaException(name + ": active (" + active + ") exceeds heads (" + heads + ")");
                yield new IndexerAttention(IndexerAttention.Mode.MIXTURE, integer("dim", 1, 1 << 10), positive("k"), 0,
                        blockSize("block"), 0, heads, active, integer("sample", 16, 1 << 24), causal);
            }
            case "dhsa" -> {
                int min = positive("min"), max = positive("max");
                if (max < min) throw new LacunaException(name + ": max (" + max + ") is below min (" + min + ")");
                yield new ChunkedAttention(min, max, fraction("mass"), integer("k", 0, 1 << 24), causal);
            }
            case "blasst" -> {
                String t = params.get("threshold");
                double c = number("c", 0, 1e9);
                double th = t.equals("auto") ? Double.NaN : number("threshold", 0, 1 - 1e-9);
                if (causal) throw new LacunaException(name + ": causal is not supported");
                yield new BlasstAttention(th, c, tile());
            }
            default -> throw new AssertionError(name);
        };
    }

    private AttentionKernel pattern(AttentionMask m, boolean causal) {
        return new BlockSparseAttention(name, m, causal, tile());
    }

    // ---- parameter parsing: every error names the method and the parameter

    private String raw(String key) {
        String v = params.get(key);
        if (v == null) throw new LacunaException(name + ": parameter " + key + " is required");
        return v;
    }

    int integer(String key, int min, int max) {
        String v = raw(key);
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new LacunaException(name + ": " + key + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) {
            throw new LacunaException(name + ": " + key + " must be " + (max == Integer.MAX_VALUE ? ">= " + min
                    : "in [" + min + ", " + max + "]") + ", got " + v);
        }
        return (int) x;
    }

    private int positive(String key) {
        String v = raw(key);
        try {
            if (Long.parseLong(v) <= 0) throw new LacunaException(name + ": " + key + " must be > 0, got " + v);
        } catch (NumberFormatException e) {
            throw new LacunaException(name + ": " + key + " must be an integer, got '" + v + "'");
        }
        return integer(key, 1, Integer.MAX_VALUE);
    }

    private int blockSize(String key) {
        int b = integer(key, 32, 1024);
        if (b % 32 != 0) throw new LacunaException(name + ": " + key + " must be a multiple of 32, got " + b);
        return b;
    }

    private int tile() {
        return blockSize("tile");
    }

    double number(String key, double min, double max) {
        String v = raw(key);
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new LacunaException(name + ": " + key + " must be a number, got '" + v + "'");
        }
        if (!(x >= min && x <= max)) throw new LacunaException(name + ": " + key + " must be in [" + min + ", " + max + "], got " + v);
        return x;
    }

    /** A value in (0, 1]. */
    private double fraction(String key) {
        String v = raw(key);
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new LacunaException(name + ": " + key + " must be a number in (0, 1], got '" + v + "'");
        }
        if (!(x > 0 && x <= 1)) throw new LacunaException(name + ": " + key + " must be in (0, 1], got " + v);
        return x;
    }

    /** 0 (off) or a value in (0, 1]. */
    private double optionalFraction(String key) {
        return raw(key).equals("0") ? 0 : fraction(key);
    }

    private boolean bool(String key) {
        String v = raw(key);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new LacunaException(name + ": " + key + " must be true or false, got '" + v + "'");
        };
    }

    private int[] ints(String key) {
        String v = raw(key);
        try {
            int[] a = Arrays.stream(v.split("[,\\s]+")).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
            if (a.length == 0) throw new LacunaException(name + ": " + key + " is empty");
            return a;
        } catch (NumberFormatException e) {
            throw new LacunaException(name + ": " + key + " must be a comma-separated list of integers, got '" + v + "'");
        }
    }

    private int[] nonNegative(int[] a, String key) {
        for (int x : a) if (x < 0) throw new LacunaException(name + ": " + key + " must not be negative, got " + x);
        return a;
    }

    private boolean[][] grid() {
        String v = raw("grid");
        if (v.equals("none")) throw new LacunaException(name + ": parameter grid is required (rows of 0/1 separated by ';')");
        String[] rows = v.split("[;/]");
        boolean[][] g = new boolean[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            String row = rows[r].strip();
            if (row.length() != rows.length) {
                throw new LacunaException(name + ": grid must be square: row " + r + " has " + row.length() + " cells, expected " + rows.length);
            }
            g[r] = new boolean[row.length()];
            for (int c = 0; c < row.length(); c++) {
                char ch = row.charAt(c);
                if (ch != '0' && ch != '1') throw new LacunaException(name + ": grid cells must be 0 or 1, got '" + ch + "'");
                g[r][c] = ch == '1';
            }
        }
        return g;
    }

    private static Map<String, Map<String, String>> defaults() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("dense", p());
        m.put("window", p("window", "128"));
        m.put("sink", p("sinks", "4", "window", "128", "global", "false"));
        m.put("strided", p("stride", "4", "local", "64", "unit", "64"));
        m.put("s2", p("shards", "0", "block", "64", "window", "64"));
        m.put("block", p("size", "64", "grid", "none"));
        m.put("diagonal", p("offsets", "0", "width", "32"));
        m.put("vertical", p("columns", "0", "window", "0"));
        m.put("vertical-slash", p("verticals", "64", "slashes", "8", "width", "32", "samples", "64", "columns", "auto",
                "offsets", "0"));
        m.put("topk", p("k", "64"));
        m.put("topp", p("p", "0.95"));
        m.put("block-topk", p("block", "64", "mass", "0.95", "k", "0", "local", "0", "sink", "true", "estimate", "query"));
        m.put("indexer", p("dim", "16", "k", "256", "p", "0", "sample", "1024"));
        m.put("hisa", p("dim", "16", "block", "64", "blocks", "16", "k", "256", "sample", "1024"));
        m.put("misa", p("dim", "8", "heads", "4", "active", "2", "block", "64", "k", "256", "sample", "1024"));
        m.put("dhsa", p("min", "16", "max", "128", "mass", "0.95", "k", "0"));
        m.put("blasst", p("threshold", "auto", "c", "4"));
        for (Map.Entry<String, Map<String, String>> e : m.entrySet()) {
            e.getValue().put("causal", "false");
            if (!List.of("topk", "topp", "block-topk", "indexer", "hisa", "misa", "dhsa").contains(e.getKey())) {
                e.getValue().putIfAbsent("tile", "64");
            }
        }
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        m.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
        return Collections.unmodifiableMap(frozen);
    }

    private static Map<String, String> p(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    /** The documented defaults, "method: key=value ..." per line, for help texts. */
    public static List<String> describe() {
        List<String> out = new ArrayList<>();
        for (String mth : METHODS) {
            StringBuilder b = new StringBuilder(mth).append(':');
            DEFAULTS.get(mth).forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            out.add(b.toString());
        }
        return out;
    }
}
