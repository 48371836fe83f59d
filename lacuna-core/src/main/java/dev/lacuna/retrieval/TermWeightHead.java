// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.Version;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.IoProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A trained document term-weight head for inference-free sparse retrieval, on the frozen encoder's last
 * hidden states (the encoder is not fine-tuned; all-MiniLM-L6-v2 has no MLM head, so documents are not
 * expanded beyond their own tokens). Per token i of a document with pooled embedding e:
 * <pre>
 *   z_i = a·cos(h_i, e) + c·idf(t_i)/10 + bias + u·h_i/|h_i|
 *   s_i = softplus(z_i) / 10
 *   tf(t) = Σ_{i: t_i = t} s_i,   w(t) = tf (k1 + 1) / (tf + k1 (1 − b + b len / avglen))
 * </pre>
 * Over analysed words ({@link Analysis#WORDS}, {@link WordTerms}) the rows i are a document's words, not its
 * tokens: a word's cos and h/|h| are the means over its WordPiece pieces, and len counts words, as BM25 does.
 * With {@code english} on, the document side follows BM25's English analysis ({@link StemVariants}): stop
 * words get no weight, and a weight is shared with the term's stem variants (wing, wings):
 * w'(t') = w(t') + γ Σ_{t in G(t'), t ≠ t'} w(t), γ = sigmoid(ρ), trained with the rest; this is
 * Lacuna's addition, not the paper's (whose model expands documents through its MLM head, which
 * all-MiniLM-L6-v2 lacks). Then the same IDF-weighted-mass pruning as {@link ContextualTermWeights}. With
 * a = 10 and the rest 0 ({@link #initial}, without English analysis) s_i is a smooth max(0, cos), so training
 * starts from the untrained formula.
 * Trained by {@link TermWeightTrainer}; saved as one JSON file ({@link #FORMAT}, version, model,
 * hidden width, θ, training provenance), validated on read.
 *
 * <p>Shapes: C hidden width, P = C + 4 parameters (θ = [a, c, bias, ρ, u[C]]).
 */
public final class TermWeightHead {
    public static final String FORMAT = "lacuna-term-weight-head";
    public static final int FORMAT_VERSION = 1;
    /** The fixed divisor of softplus: with a = SCALE, s_i ≈ max(0, cos). */
    public static final double SCALE = 10;
    static final int A = 0, C = 1, BIAS = 2, RHO = 3, U = 4;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final double[] theta;   // [P]
    private final int width;
    private final double k1, b;
    private final Analysis analysis;
    private final String model;
    private final Map<String, Object> training;

    /**
     * The terms a head weighs. {@code NONE}: WordPiece ids. {@code ENGLISH}: WordPiece ids under BM25's English
     * analysis (stop words get no weight, a weight is shared with the term's stem variants, see the class
     * comment). {@code WORDS}: the words of BM25's English analysis themselves ({@link WordTerms}): each
     * analysed word's features are the mean of its WordPiece tokens', and queries are analysed the same way.
     */
    public enum Analysis {
        NONE("none"), ENGLISH("english"), WORDS("words");

        private final String key;

        Analysis(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        /** The analysis named {@code key} (none, english, words), null when there is none. */
        public static Analysis of(String key) {
            for (Analysis a : values()) if (a.key.equals(key)) return a;
            return null;
        }
    }

    /**
     * @param theta    [C + 4] parameters, copied
     * @param analysis the terms it weighs (ρ used by {@code ENGLISH} only)
     * @param model    the encoder it was trained on (provenance), may be null
     * @param training how it was trained (provenance), copied
     */
    public TermWeightHead(double[] theta, double k1, double b, Analysis analysis, String model, Map<String, Object> training) {
        if (theta.length < U + 1) throw new IllegalArgumentException("term-weight head: " + theta.length + " parameters, need >= " + (U + 1));
        for (double v : theta) if (!Double.isFinite(v)) throw new IllegalArgumentException("term-weight head: a parameter is " + v);
        if (!(k1 > 0) || !(b >= 0 && b <= 1)) throw new IllegalArgumentException("term-weight head: k1 " + k1 + ", b " + b);
        this.theta = theta.clone();
        this.width = theta.length - U;
        this.k1 = k1;
        this.b = b;
        this.analysis = java.util.Objects.requireNonNull(analysis);
        this.model = model;
        this.training = Map.copyOf(training);
    }

    /** The head that reproduces (smoothly) the untrained formula: a = {@link #SCALE}, the rest 0. */
    public static TermWeightHead initial(int width, double k1, double b, Analysis analysis) {
        double[] t = new double[width + U];
        t[A] = SCALE;
        return new TermWeightHead(t, k1, b, analysis, null, Map.of());
    }

    /** Whether stop words get no weight and a weight is shared with the term's stem variants (WordPiece ids). */
    public boolean english() {
        return analysis == Analysis.ENGLISH;
    }

    public Analysis analysis() {
        return analysis;
    }

    public int width() {
        return width;
    }

    public double k1() {
        return k1;
    }

    public double b() {
        return b;
    }

    public String model() {
        return model;
    }

    public Map<String, Object> training() {
        return training;
    }

    /** A copy of θ [C + 4]. */
    public double[] parameters() {
        return theta.clone();
    }

    /** One line for provenance ({@code lacuna-index.json}). */
    public String describe(Path file) {
        return "term-weight head " + file.toAbsolutePath().normalize() + " (" + theta.length + " parameters"
                + (training.containsKey("steps") ? ", " + training.get("steps") + " steps" : "") + ")";
    }

    static double softplus(double z) {
        return z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** z_i of one token from its features: cos(h, e), idf of its term, and h/|h| [C] at {@code unit[o..o+C)}. */
    static double z(double[] theta, double cos, double idf, float[] unit, int o) {
        int c = theta.length - U;
        double z = theta[A] * cos + theta[C] * idf / 10 + theta[BIAS];
        for (int j = 0; j < c; j++) z += theta[U + j] * unit[o + j];
        return z;
    }

    /**
     * Weighs one document, as {@link ContextualTermWeights#weigh} does (same arguments), with the head.
     *
     * @param hidden last hidden state [T_batch, C]; the document is rows [start, start + len)
     * @param pooled the document's L2-normalised embedding [C]
     */
    public SparseVector weigh(int[] ids, float[] hidden, int start, int len, int c, float[] pooled,
                              IntPredicate special, float[] idf, double avgLen, ContextualTermWeights.Settings s, StemVariants sv) {
        DocTokens d = DocTokens.of(ids, hidden, start, len, c, pooled, special);
        return weigh(d, idf, avgLen, s, sv);
    }

    /**
     * Weighs a document's saved token features.
     *
     * @param sv the vocabulary's English analysis (used when {@link #english}; may be null otherwise)
     */
    SparseVector weigh(DocTokens d, float[] idf, double avgLen, ContextualTermWeights.Settings s, StemVariants sv) {
        if (d.width() != width) throw new LacunaException("term-weight head is for hidden width " + width + ", the model has " + d.width());
        DocTokens.Weights w = d.weights(theta, idf, k1, b, avgLen);
        int[] terms = w.terms();
        double[] dw = w.w();
        if (analysis == Analysis.ENGLISH) {
            DocTokens.Shared sh = DocTokens.share(w, sv, theta);
            terms = sh.terms();
            dw = sh.w();
        }
        float[] fw = new float[terms.length];
        for (int k = 0; k < fw.length; k++) fw[k] = (float) dw[k];
        return ContextualTermWeights.prune(terms, fw, fw.length, idf, s);
    }

    /** Writes the head atomically to {@code file}. */
    public void write(Path file) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("formatVersion", FORMAT_VERSION);
        o.put("lacunaVersion", Version.get());
        if (model != null) o.put("model", model);
        o.put("hiddenSize", width);
        o.put("k1", k1);
        o.put("b", b);
        o.put("a", theta[A]);
        o.put("c", theta[C]);
        o.put("bias", theta[BIAS]);
        o.put("analysis", analysis.key());
        o.put("variantLogit", theta[RHO]);
        ArrayNode u = o.putArray("u");
        for (int j = 0; j < width; j++) u.add(theta[U + j]);
        o.set("training", JSON.valueToTree(new LinkedHashMap<>(new java.util.TreeMap<>(training))));
        try (AtomicOutput out = AtomicOutput.open(file)) {
            JSON.writeValue(out.writer(), o);
            out.commit();
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot write (" + IoProblem.describe(e) + ")");
        }
    }

    /** Reads and validates a head file; every problem is one line naming the file and the field. */
    public static TermWeightHead read(Path file) {
        if (!Files.isRegularFile(file)) throw new LacunaException(file + ": no such file (a term-weight head from 'lacuna index --train-sparse-head')");
        JsonNode t;
        try {
            t = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new LacunaException(file + ": cannot read (" + IoProblem.describe(e) + ")");
        }
        return parse(t, file.toString());
    }

    /** Validates a parsed head ({@code where} names it in errors). */
    static TermWeightHead parse(JsonNode t, String where) {
        if (t == null || !t.isObject()) throw new LacunaException(where + ": not a JSON object (not a term-weight head)");
        if (!FORMAT.equals(t.path("format").asText(null))) {
            throw new LacunaException(where + ": not a term-weight head (\"format\" is not \"" + FORMAT + "\")");
        }
        int version = t.path("formatVersion").isInt() ? t.path("formatVersion").asInt() : -1;
        if (version != FORMAT_VERSION) {
            throw new LacunaException(where + ": term-weight head format " + version + "; this Lacuna (" + Version.get() + ") reads " + FORMAT_VERSION);
        }
        int width = t.path("hiddenSize").isInt() ? t.path("hiddenSize").asInt() : -1;
        if (width < 1 || width > 1 << 16) throw new LacunaException(where + ": \"hiddenSize\" must be an integer in [1, 65536]");
        JsonNode u = t.path("u");
        if (!u.isArray() || u.size() != width) {
            throw new LacunaException(where + ": \"u\" must be an array of hiddenSize (" + width + ") numbers, has " + (u.isArray() ? u.size() : "none"));
        }
        double[] theta = new double[width + U];
        theta[A] = number(t, "a", where);
        theta[C] = number(t, "c", where);
        theta[BIAS] = number(t, "bias", where);
        String an = t.path("analysis").asText("none");
        Analysis analysis = Analysis.of(an);
        if (analysis == null) throw new LacunaException(where + ": \"analysis\" must be \"none\", \"english\" or \"words\", got \"" + an + "\"");
        if (analysis == Analysis.ENGLISH) theta[RHO] = number(t, "variantLogit", where);
        for (int j = 0; j < width; j++) {
            JsonNode v = u.get(j);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw new LacunaException(where + ": \"u\"[" + j + "] is not a finite number");
            theta[U + j] = v.asDouble();
        }
        double k1 = number(t, "k1", where), b = number(t, "b", where);
        if (!(k1 > 0)) throw new LacunaException(where + ": \"k1\" must be > 0, got " + k1);
        if (!(b >= 0 && b <= 1)) throw new LacunaException(where + ": \"b\" must be in [0, 1], got " + b);
        String model = t.path("model").isTextual() ? t.path("model").asText() : null;
        Map<String, Object> training = new LinkedHashMap<>();
        if (t.path("training").isObject()) {
            t.path("training").properties().forEach(e -> training.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText()));
        }
        return new TermWeightHead(theta, k1, b, analysis, model, training);
    }

    private static double number(JsonNode t, String field, String where) {
        JsonNode v = t.path(field);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) throw new LacunaException(where + ": \"" + field + "\" must be a finite number");
        return v.asDouble();
    }

    @Override
    public String toString() {
        return "TermWeightHead" + Arrays.toString(Arrays.copyOf(theta, U)) + "+u[" + width + "]";
    }
}
