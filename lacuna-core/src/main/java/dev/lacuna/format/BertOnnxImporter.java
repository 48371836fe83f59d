// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.format;

import dev.lacuna.LacunaException;
import dev.lacuna.model.bert.BertConfig;
import dev.lacuna.tensor.FloatTensor;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps the weights of an ONNX export of a BERT-family encoder to Hugging Face parameter names by
 * following the graph's structure, not its names (Optimum and Xenova exports call the projection
 * weights {@code onnx::MatMul_123}).
 *
 * <p>The walk: the word, position and token-type tables are the {@code Gather}s whose sum feeds the
 * first LayerNorm (a {@code LayerNormalization} node or the decomposed
 * ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add pattern). Each encoder layer starts from the
 * previous LayerNorm's output: the three projections consuming it are query, key and value, told apart
 * by where their outputs go (query is the first and key the second operand of the score MatMul; value
 * is the second operand of the MatMul that consumes the softmax); the projection reached from the
 * context MatMul is the attention output dense, whose sum with the layer input feeds the attention
 * LayerNorm; the projection consuming that LayerNorm's output is the intermediate dense, the next
 * projection reached through the activation is the output dense, and its residual LayerNorm ends the
 * layer. A projection is a {@code MatMul}/{@code Gemm} with a constant weight, a {@code MatMul} on a
 * {@code DequantizeLinear}'d constant, or ONNX Runtime's dynamic-int8 pattern
 * {@code DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul(scale)}; the {@code Add} of a constant
 * vector after it is the bias. Quantized weights are dequantized to float32 as
 * {@code (q - zero_point) * scale}, per tensor or per output column as stored.
 */
public final class BertOnnxImporter {
    private static final Set<String> PASS_THROUGH = Set.of("Reshape", "Transpose", "Unsqueeze", "Squeeze", "Identity",
            "Cast", "Flatten", "DynamicQuantizeLinear", "QuantizeLinear", "DequantizeLinear");

    private final OnnxGraph g;
    private final String src;
    private final Set<String> graphInputs = new HashSet<>();
    private final Map<String, FloatTensor> out = new LinkedHashMap<>();

    private BertOnnxImporter(OnnxModel model) {
        this.g = model.graph();
        this.src = model.source();
        for (OnnxValueInfo v : g.inputs()) if (g.initializer(v.name()) == null) graphInputs.add(v.name());
    }

    /** Loads an {@code .onnx} file (memory-mapped) and imports it. */
    public static BertCheckpoint load(Path onnxFile) {
        return importModel(OnnxModel.load(onnxFile));
    }

    /** Maps a parsed ONNX BERT encoder to a validated checkpoint. */
    public static BertCheckpoint importModel(OnnxModel model) {
        return new BertOnnxImporter(model).run();
    }

    // ---- the walk ----------------------------------------------------------------------------------------

    private BertCheckpoint run() {
        checkOps();
        Embeddings emb = embeddings();
        int c = emb.hidden;
        String h = emb.ln.output;
        LayerNorm firstLn = emb.ln;
        int layers = 0;
        int heads = -1;
        int inter = -1;
        String act = null;
        while (true) {
            List<Linear> qkv = linearsConsuming(h);
            if (qkv.isEmpty()) break;
            int i = layers;
            String where = "layer " + i;
            if (qkv.size() != 3) {
                throw fail(where + ": expected 3 projections (query, key, value) consuming '" + h + "', found " + qkv.size());
            }
            Attention att = attention(where, qkv, c);
            if (heads < 0) heads = att.heads;
            else if (heads != att.heads) throw fail(where + ": " + att.heads + " attention heads, earlier layers have " + heads);
            String p = "encoder.layer." + i + ".";
            put(p + "attention.self.query", att.q);
            put(p + "attention.self.key", att.k);
            put(p + "attention.self.value", att.v);

            Linear o = single(where + " attention output", linearsReachedFrom(att.context, false).linears);
            put(p + "attention.output.dense", o);
            LayerNorm ln1 = residualNorm(where + " attention output", o.output, h);
            putNorm(p + "attention.output.LayerNorm", ln1);

            Linear up = single(where + " intermediate", linearsConsuming(ln1.output));
            put(p + "intermediate.dense", up);
            Reach r = linearsReachedFrom(up.output, true);
            Linear down = single(where + " output", r.linears);
            String a = activation(where, r.ops);
            if (act == null) act = a;
            else if (!act.equals(a)) throw fail(where + ": activation " + a + ", earlier layers use " + act);
            if (inter < 0) inter = up.weight.dim(0);
            put(p + "output.dense", down);
            LayerNorm ln2 = residualNorm(where + " output", down.output, ln1.output);
            putNorm(p + "output.LayerNorm", ln2);
            h = ln2.output;
            layers++;
        }
        if (layers == 0) throw fail("no encoder layer found after the embedding LayerNorm (no projection consumes '" + h + "')");

        double eps = Double.parseDouble(Float.toString((float) firstLn.eps));
        BertConfig config = new BertConfig(emb.vocab, c, layers, heads, inter, emb.positions, emb.types, eps, act);
        return new BertCheckpoint(config, out).validate(src);
    }

    private void checkOps() {
        Set<String> foreign = new TreeSet<>();
        for (OnnxNode n : g.nodes()) {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) foreign.add(n.domain() + ":" + n.opType());
            else if (n.opType().startsWith("QLinear")) foreign.add(n.opType());
        }
        if (!foreign.isEmpty()) {
            throw fail("uses operators this importer cannot map to BERT weights: " + String.join(", ", foreign)
                    + " (ONNX Runtime fused or static-quantized ops; export the model without graph optimizations)");
        }
    }

    // ---- embeddings -------------------------------------------------------------------------------------

    private record Table(OnnxNode gather, FloatTensor table, String output) {
    }

    private record Embeddings(int vocab, int hidden, int positions, int types, LayerNorm ln) {
    }

    private Embeddings embeddings() {
        Map<String, Table> byOutput = new LinkedHashMap<>();
        Table word = null;
        for (OnnxNode n : g.topologicalOrder()) {
            if (!n.is("Gather") || n.attrInt("axis", 0) != 0) continue;
            Table t = table(n);
            if (t == null) continue;
            byOutput.put(t.output, t);
            String idx = graphInputBehind(n.input(1));
            boolean isIds = idx != null && idx.equals("input_ids");
            boolean wordIsIds = word != null && "input_ids".equals(graphInputBehind(word.gather.input(1)));
            if (word == null || (isIds && !wordIsIds) || (isIds == wordIsIds && t.table.dim(0) > word.table.dim(0))) word = t;
        }
        if (word == null) throw fail("no word-embedding table found (no Gather on a constant 2-D table): is this a BERT encoder?");
        int hidden = word.table.dim(1);

        // follow the sum of embeddings from the word lookup to the first LayerNorm
        String cur = word.output;
        LayerNorm ln = null;
        for (int step = 0; step < 8 && ln == null; step++) {
            ln = layerNorm(cur);
            if (ln != null) break;
            OnnxNode add = null;
            for (OnnxNode c : g.consumers(cur)) if (c.is("Add")) add = c;
            if (add == null) break;
            cur = add.output(0);
        }
        if (ln == null) throw fail("no LayerNorm found after the word embeddings '" + word.gather.name() + "'");

        Table position = null;
        Table type = null;
        float[] foldedType = null;
        for (String leaf : sumLeaves(ln.input)) {
            if (leaf.equals(word.output)) continue;
            Table t = byOutput.get(leaf);
            if (t == null) {
                OnnxTensor k = constant(leaf);
                if (k != null && OnnxDataType.isFloat(k.dataType()) && k.elementCount() == hidden && foldedType == null) {
                    foldedType = k.toFloatArray(); // a token-type row folded into a constant at export
                    continue;
                }
                throw fail("the embedding sum feeding LayerNorm '" + ln.name + "' has an unrecognized term '" + leaf + "'");
            }
            if (t.table.dim(1) != hidden) {
                throw fail("embedding table '" + t.gather.input(0) + "' is " + t.table.shapeString() + ", word embeddings are "
                        + word.table.shapeString());
            }
            String idx = graphInputBehind(t.gather.input(1));
            String lower = idx == null ? "" : idx.toLowerCase(Locale.ROOT);
            boolean isType = lower.contains("token_type") || lower.contains("segment");
            boolean isPos = idx == null || lower.contains("position");
            if (isType && type == null) type = t;
            else if (isPos && !isType && position == null) position = t;
            else if (type == null && position != null) type = t;
            else if (position == null && type != null) position = t;
            else throw fail("cannot tell the embedding tables apart (extra Gather '" + t.gather.name() + "')");
        }
        if (position == null) throw fail("no position-embedding table found in the embedding sum");
        checkPositionIds(position.gather.input(1));

        out.put("embeddings.word_embeddings.weight", word.table);
        out.put("embeddings.position_embeddings.weight", position.table);
        FloatTensor typeTable;
        if (type != null) {
            typeTable = type.table;
            if (foldedType != null) throw fail("embedding sum has both a token-type table and a constant term");
        } else {
            typeTable = new FloatTensor(new int[] {1, hidden}, foldedType != null ? foldedType : new float[hidden]);
        }
        out.put("embeddings.token_type_embeddings.weight", typeTable);
        putNorm("embeddings.LayerNorm", ln);
        return new Embeddings(word.table.dim(0), hidden, position.table.dim(0), typeTable.dim(0), ln);
    }

    /** The embedding table read by a Gather, dequantized if stored as int8/uint8, or null. */
    private Table table(OnnxNode gather) {
        String data = gather.input(0);
        OnnxTensor k = constant(data);
        if (k != null && k.rank() == 2) {
            if (OnnxDataType.isFloat(k.dataType())) return new Table(gather, k.toFloatTensor(), gather.output(0));
            if (k.dataType() == OnnxDataType.INT8 || k.dataType() == OnnxDataType.UINT8) {
                for (OnnxNode c : g.consumers(gather.output(0))) {
                    if (c.is("DequantizeLinear") && c.input(0).equals(gather.output(0))) {
                        OnnxTensor scale = requireConst(c.input(1), c);
                        OnnxTensor zp = c.input(2).isEmpty() ? null : requireConst(c.input(2), c);
                        return new Table(gather, dequantizeTable(k, scale, zp, c), c.output(0));
                    }
                }
            }
            return null;
        }
        OnnxNode p = g.producer(data);
        if (p != null && p.is("DequantizeLinear") && constant(p.input(0)) != null && constant(p.input(0)).rank() == 2) {
            return new Table(gather, dequantizeLinearWeight(p), gather.output(0));
        }
        return null;
    }

    private FloatTensor dequantizeTable(OnnxTensor q, OnnxTensor scale, OnnxTensor zp, OnnxNode node) {
        int rows = q.shape()[0];
        int cols = q.shape()[1];
        // the DequantizeLinear acts on the gathered rows, so a per-axis scale runs along the last axis
        return dequantize(q, scale, zp, scale.elementCount() == 1 ? -1 : 1, rows, cols, node);
    }

    private void checkPositionIds(String indices) {
        ArrayDeque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(indices);
        while (!todo.isEmpty() && seen.size() < 64) {
            String v = todo.poll();
            if (!seen.add(v)) continue;
            OnnxNode p = g.producer(v);
            if (p == null) continue;
            if (p.is("CumSum")) {
                throw fail("position ids are computed from the input (CumSum, RoBERTa-style), which BERT checkpoints cannot express");
            }
            if (p.is("Slice") || p.is("Expand")) {
                OnnxTensor ids = constant(p.input(0));
                if (ids != null && OnnxDataType.isInteger(ids.dataType())) {
                    long[] values = ids.toLongArray();
                    for (int i = 0; i < values.length; i++) {
                        if (values[i] != i) {
                            throw fail("position ids '" + p.input(0) + "' are not 0, 1, 2, ... (value " + values[i] + " at " + i + ")");
                        }
                    }
                }
            }
            for (String in : p.inputs()) if (!in.isEmpty()) todo.add(in);
        }
    }

    /** The graph input an index value comes from (through shape-preserving ops), or null. */
    private String graphInputBehind(String v) {
        for (int i = 0; i < 8; i++) {
            if (graphInputs.contains(v)) return v;
            OnnxNode p = g.producer(v);
            if (p == null || !(p.is("Cast") || p.is("Identity") || p.is("Unsqueeze") || p.is("Squeeze") || p.is("Reshape"))) {
                return null;
            }
            v = p.input(0);
        }
        return null;
    }

    private List<String> sumLeaves(String v) {
        List<String> leaves = new ArrayList<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        todo.push(v);
        int budget = 32;
        while (!todo.isEmpty()) {
            if (--budget < 0) throw fail("embedding sum feeding the first LayerNorm is too deep");
            String x = todo.pop();
            OnnxNode p = g.producer(x);
            if (p != null && p.is("Add")) {
                todo.push(p.input(1));
                todo.push(p.input(0));
            } else {
                leaves.add(x);
            }
        }
        return leaves;
    }

    // ---- layer norms -----------------------------------------------------------------------------------

    private record LayerNorm(String name, String input, String output, FloatTensor gamma, FloatTensor beta, double eps) {
    }

    /** Matches a LayerNorm applied to {@code x}, or returns null. */
    private LayerNorm layerNorm(String x) {
        for (OnnxNode c : g.consumers(x)) {
            if (c.is("LayerNormalization") && c.input(0).equals(x)) {
                FloatTensor gamma = requireConst(c.input(1), c).toFloatTensor();
                FloatTensor beta = c.input(2).isEmpty() ? new FloatTensor(gamma.shape().clone(), new float[(int) gamma.size()])
                        : requireConst(c.input(2), c).toFloatTensor();
                return new LayerNorm(c.name(), x, c.output(0), flat(gamma), flat(beta), c.attrFloat("epsilon", 1e-5f));
            }
        }
        for (OnnxNode mean : g.consumers(x)) {
            if (!mean.is("ReduceMean") || !mean.input(0).equals(x)) continue;
            OnnxNode sub = consumer(mean.output(0), n -> n.is("Sub") && n.input(0).equals(x) && n.input(1).equals(mean.output(0)));
            if (sub == null) continue;
            String d = sub.output(0);
            OnnxNode sq = consumer(d, n -> (n.is("Pow") && n.input(0).equals(d) && isScalar(n.input(1), 2.0))
                    || (n.is("Mul") && n.input(0).equals(d) && n.input(1).equals(d)));
            if (sq == null) continue;
            OnnxNode var = consumer(sq.output(0), n -> n.is("ReduceMean"));
            if (var == null) continue;
            OnnxNode addEps = consumer(var.output(0), n -> n.is("Add") && scalarOther(n, var.output(0)) != null);
            if (addEps == null) continue;
            double eps = scalarOther(addEps, var.output(0));
            OnnxNode sqrt = consumer(addEps.output(0), n -> n.is("Sqrt"));
            if (sqrt == null) continue;
            String normed;
            OnnxNode div = consumer(sqrt.output(0), n -> n.is("Div") && n.input(0).equals(d) && n.input(1).equals(sqrt.output(0)));
            if (div != null) {
                normed = div.output(0);
            } else {
                OnnxNode rec = consumer(sqrt.output(0), n -> n.is("Reciprocal"));
                if (rec == null) continue;
                OnnxNode mul = consumer(rec.output(0), n -> n.is("Mul") && other(n, rec.output(0)).equals(d));
                if (mul == null) continue;
                normed = mul.output(0);
            }
            OnnxNode scale = consumer(normed, n -> n.is("Mul") && vectorOther(n, normed) != null);
            if (scale == null) continue;
            FloatTensor gamma = vectorOther(scale, normed);
            OnnxNode shift = consumer(scale.output(0), n -> n.is("Add") && vectorOther(n, scale.output(0)) != null);
            if (shift == null) continue;
            FloatTensor beta = vectorOther(shift, scale.output(0));
            return new LayerNorm(mean.name(), x, shift.output(0), gamma, beta, eps);
        }
        return null;
    }

    /** The LayerNorm of {@code residual + branch}, where {@code branch} is a projection's output. */
    private LayerNorm residualNorm(String where, String branch, String residual) {
        for (OnnxNode add : g.consumers(branch)) {
            if (!add.is("Add") || !other(add, branch).equals(residual)) continue;
            LayerNorm ln = layerNorm(add.output(0));
            if (ln == null) throw fail(where + ": no LayerNorm after the residual Add '" + add.name() + "'");
            return ln;
        }
        throw fail(where + ": no residual Add of '" + branch + "' and '" + residual + "'");
    }

    // ---- attention --------------------------------------------------------------------------------------

    private record Attention(Linear q, Linear k, Linear v, String context, int heads) {
    }

    private record Hit(OnnxNode matmul, int operand) {
    }

    private Attention attention(String where, List<Linear> qkv, int hidden) {
        List<Hit> hits = new ArrayList<>();
        List<OnnxNode> reshapes = new ArrayList<>();
        for (Linear l : qkv) {
            List<Hit> h = activationMatMuls(l.output, reshapes);
            if (h.size() != 1) {
                throw fail(where + ": projection '" + l.node.name() + "' reaches " + h.size()
                        + " attention MatMuls, expected 1");
            }
            hits.add(h.getFirst());
        }
        Linear q = null, k = null, v = null;
        OnnxNode scores = null, context = null;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != j && hits.get(i).matmul == hits.get(j).matmul && hits.get(i).operand == 0 && hits.get(j).operand == 1) {
                    q = qkv.get(i);
                    k = qkv.get(j);
                    scores = hits.get(i).matmul;
                    int vi = 3 - i - j;
                    v = qkv.get(vi);
                    context = hits.get(vi).matmul;
                    if (hits.get(vi).operand != 1) context = null;
                }
            }
        }
        if (scores == null) throw fail(where + ": no MatMul takes two of the query/key/value projections as operands");
        if (context == null || context == scores || !softmaxBetween(scores, context)) {
            throw fail(where + ": the value projection does not meet the softmax of the scores in a MatMul");
        }
        int heads = heads(where, reshapes, scores, hidden);
        for (Linear l : List.of(q, k, v)) {
            if (l.weight.dim(0) != hidden || l.weight.dim(1) != hidden) {
                throw fail(where + ": projection '" + l.node.name() + "' has weight " + l.weight.shapeString()
                        + " (as [out, in]), expected [" + hidden + ", " + hidden + "]");
            }
        }
        return new Attention(q, k, v, context.output(0), heads);
    }

    /** MatMuls of two activations reached from {@code v} through shape ops and constant scalings. */
    private List<Hit> activationMatMuls(String v, List<OnnxNode> reshapes) {
        List<Hit> hits = new ArrayList<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(v);
        while (!todo.isEmpty()) {
            String x = todo.poll();
            if (!seen.add(x) || seen.size() > 64) continue;
            for (OnnxNode c : g.consumers(x)) {
                if ((c.is("MatMul") || c.is("MatMulInteger")) && constant(c.input(0)) == null && constant(c.input(1)) == null
                        && !isDequantizedConst(c.input(1))) {
                    int operand = c.input(0).equals(x) ? 0 : 1;
                    hits.add(new Hit(c, operand));
                } else if (PASS_THROUGH.contains(c.opType()) && c.domain().isEmpty() && c.input(0).equals(x)) {
                    if (c.is("Reshape")) reshapes.add(c);
                    todo.add(c.output(0));
                } else if ((c.is("Mul") || c.is("Div")) && c.input(0).equals(x) && isScalarConst(c.input(1))
                        || c.is("Mul") && c.input(1).equals(x) && isScalarConst(c.input(0))) {
                    todo.add(c.output(0));
                }
            }
        }
        return hits;
    }

    private boolean softmaxBetween(OnnxNode scores, OnnxNode context) {
        String x = context.input(0);
        for (int i = 0; i < 8; i++) {
            OnnxNode p = g.producer(x);
            if (p == null) return false;
            if (p.is("Softmax")) {
                String y = p.input(0);
                for (int j = 0; j < 8; j++) {
                    OnnxNode s = g.producer(y);
                    if (s == null) return false;
                    if (s == scores) return true;
                    y = s.input(0);
                }
                return false;
            }
            x = p.input(0);
        }
        return false;
    }

    private int heads(String where, List<OnnxNode> reshapes, OnnxNode scores, int hidden) {
        Set<Integer> found = new LinkedHashSet<>();
        for (OnnxNode r : reshapes) {
            long[] shape = shapeVector(r.input(1));
            if (shape == null || shape.length < 2) continue;
            long hh = shape[shape.length - 2];
            long d = shape[shape.length - 1];
            if (hh > 0 && d > 0 && hh * d == hidden) found.add((int) hh);
            else if (hh > 0 && d == -1 && hidden % hh == 0) found.add((int) hh);
            else if (hh == -1 && d > 0 && hidden % d == 0) found.add((int) (hidden / d));
        }
        if (found.size() == 1) return found.iterator().next();
        if (found.size() > 1) throw fail(where + ": query/key/value reshapes disagree on the number of heads " + found);
        // fall back to the score scaling: Div by sqrt(D) or Mul by 1/sqrt(D)
        for (OnnxNode c : g.consumers(scores.output(0))) {
            Double s = (c.is("Div") || c.is("Mul")) ? scalarOther(c, scores.output(0)) : null;
            if (s == null || s <= 0) continue;
            double dd = c.is("Div") ? s * s : 1 / (s * s);
            long d = Math.round(dd);
            if (d > 0 && Math.abs(dd - d) < 1e-3 * d && hidden % d == 0) return (int) (hidden / d);
        }
        throw fail(where + ": cannot infer the number of attention heads (no constant head shape in the query/key/value reshapes)");
    }

    /** The values of a shape operand: a constant, or a Concat of pieces (unknown pieces as 0). */
    private long[] shapeVector(String v) {
        OnnxTensor k = constant(v);
        if (k != null) return OnnxDataType.isInteger(k.dataType()) && k.rank() == 1 ? k.toLongArray() : null;
        OnnxNode p = g.producer(v);
        if (p == null || !p.is("Concat")) return null;
        List<Long> values = new ArrayList<>();
        for (String in : p.inputs()) {
            OnnxTensor piece = constant(in);
            if (piece != null && OnnxDataType.isInteger(piece.dataType()) && piece.elementCount() <= 8) {
                for (long x : piece.toLongArray()) values.add(x);
            } else {
                values.add(0L); // a dynamic dimension (batch or sequence), one element by construction
            }
        }
        long[] r = new long[values.size()];
        for (int i = 0; i < r.length; i++) r[i] = values.get(i);
        return r;
    }

    // ---- feed-forward -----------------------------------------------------------------------------------

    private record Reach(List<Linear> linears, Set<String> ops) {
    }

    /** The projections first reached from {@code v} and the ops passed on the way. */
    private Reach linearsReachedFrom(String v, boolean anyOp) {
        Map<OnnxNode, Linear> found = new LinkedHashMap<>();
        Set<String> ops = new TreeSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        todo.add(v);
        while (!todo.isEmpty()) {
            String x = todo.poll();
            if (!seen.add(x)) continue;
            if (seen.size() > 64) throw fail("no projection found within 64 values of '" + v + "'");
            List<Linear> ls = linearsConsuming(x);
            if (!ls.isEmpty()) {
                for (Linear l : ls) found.putIfAbsent(l.node, l);
                continue;
            }
            for (OnnxNode c : g.consumers(x)) {
                if (!anyOp && !(PASS_THROUGH.contains(c.opType()) && c.input(0).equals(x))) continue;
                if (c.is("Shape")) continue;
                OnnxAttribute approx = c.attribute("approximate");
                ops.add(c.is("Gelu") && approx != null && "tanh".equals(approx.string()) ? "Gelu:tanh" : c.opType());
                if (c.is("DynamicQuantizeLinear")) {
                    todo.add(c.output(0));
                } else {
                    for (String o : c.outputs()) if (!o.isEmpty()) todo.add(o);
                }
            }
        }
        return new Reach(new ArrayList<>(found.values()), ops);
    }

    private String activation(String where, Set<String> ops) {
        if (ops.contains("Erf")) return "gelu";
        if (ops.contains("Gelu")) return "gelu";
        if (ops.contains("Gelu:tanh") || ops.contains("Tanh")) return "gelu_new";
        if (ops.contains("Relu")) return "relu";
        throw fail(where + ": unrecognized feed-forward activation (ops " + ops + ")");
    }

    // ---- projections ------------------------------------------------------------------------------------

    /** A projection: weight as [out, in], bias [out], and the value after the bias. */
    private record Linear(OnnxNode node, FloatTensor weight, FloatTensor bias, String output) {
    }

    private Linear single(String where, List<Linear> ls) {
        if (ls.size() != 1) throw fail(where + ": expected one projection, found " + ls.size());
        return ls.getFirst();
    }

    /** The projections taking {@code x} (or its dynamic quantization) as their activation input. */
    private List<Linear> linearsConsuming(String x) {
        List<Linear> result = new ArrayList<>();
        collectLinears(x, null, 0, result);
        return result;
    }

    private void collectLinears(String x, String xScale, int depth, List<Linear> result) {
        for (OnnxNode c : g.consumers(x)) {
            if (!c.input(0).equals(x)) continue;
            if (c.is("MatMul") && isWeight(c.input(1))) {
                FloatTensor w = weight(c.input(1), c);
                result.add(withBias(c, w.transpose2d(), c.output(0), null));
            } else if (c.is("Gemm") && isWeight(c.input(1))) {
                result.add(gemm(c));
            } else if (c.is("MatMulInteger") && isIntConst(c.input(1))) {
                result.add(matMulInteger(c, xScale));
            } else if (depth < 3 && c.is("DynamicQuantizeLinear")) {
                collectLinears(c.output(0), c.output(1), depth + 1, result);
            } else if (depth < 3 && (c.is("QuantizeLinear") || c.is("DequantizeLinear"))) {
                collectLinears(c.output(0), xScale, depth + 1, result);
            }
        }
    }

    private Linear gemm(OnnxNode c) {
        if (c.attrInt("transA", 0) != 0) throw fail("Gemm '" + c.name() + "' transposes its activation input");
        FloatTensor w = weight(c.input(1), c);
        if (c.attrInt("transB", 0) == 0) w = w.transpose2d();
        float alpha = c.attrFloat("alpha", 1f);
        if (alpha != 1f) for (int i = 0; i < w.data().length; i++) w.data()[i] *= alpha;
        FloatTensor bias = null;
        if (!c.input(2).isEmpty()) {
            bias = flat(requireConst(c.input(2), c).toFloatTensor());
            float beta = c.attrFloat("beta", 1f);
            if (beta != 1f) for (int i = 0; i < bias.data().length; i++) bias.data()[i] *= beta;
        }
        return withBias(c, w, c.output(0), bias);
    }

    /** {@code MatMulInteger(x_q, W_q, x_zp, W_zp) -> Cast -> Mul(x_scale * W_scale)}. */
    private Linear matMulInteger(OnnxNode mm, String xScale) {
        OnnxTensor q = requireConst(mm.input(1), mm);
        if (q.rank() != 2) throw fail("MatMulInteger '" + mm.name() + "' weight is " + q.describe() + ", expected 2-D");
        int k = q.shape()[0];
        int n = q.shape()[1];
        OnnxTensor zp = mm.input(3).isEmpty() ? null : requireConst(mm.input(3), mm);
        OnnxNode cast = consumer(mm.output(0), x -> x.is("Cast"));
        if (cast == null || cast.attrInt("to", 0) != OnnxDataType.FLOAT) {
            throw fail("MatMulInteger '" + mm.name() + "' is not followed by a Cast to float");
        }
        String cur = cast.output(0);
        float[] scale = null;
        boolean sawXScale = false;
        for (int hop = 0; hop < 3 && !(sawXScale && scale != null); hop++) {
            final String from = cur;
            OnnxNode mul = consumer(from, x -> x.is("Mul"));
            if (mul == null) break;
            ScaleFactor f = scaleFactor(other(mul, from), xScale, 0);
            if (f == null) break;
            sawXScale |= f.hasXScale;
            if (f.constant != null) scale = scale == null ? f.constant : multiply(scale, f.constant, mm);
            cur = mul.output(0);
        }
        if (scale == null) throw fail("MatMulInteger '" + mm.name() + "': no weight scale found after its Cast");
        if (scale.length != 1 && scale.length != n) {
            throw fail("MatMulInteger '" + mm.name() + "': weight scale has " + scale.length + " values, expected 1 or " + n);
        }
        OnnxTensor scaleTensor = OnnxTensor.ofFloats("scale", new long[] {scale.length}, scale);
        FloatTensor w = dequantize(q, scaleTensor, zp, scale.length == 1 ? -1 : 1, k, n, mm);
        return withBias(mm, w.transpose2d(), cur, null);
    }

    private record ScaleFactor(float[] constant, boolean hasXScale) {
    }

    /** Splits a scale operand into its constant part and whether it includes the activation scale. */
    private ScaleFactor scaleFactor(String v, String xScale, int depth) {
        if (v.equals(xScale)) return new ScaleFactor(null, true);
        OnnxTensor k = constant(v);
        if (k != null) return OnnxDataType.isFloat(k.dataType()) && k.rank() <= 1 ? new ScaleFactor(k.toFloatArray(), false) : null;
        OnnxNode p = g.producer(v);
        if (p == null || !p.is("Mul") || depth > 2) return null;
        ScaleFactor a = scaleFactor(p.input(0), xScale, depth + 1);
        ScaleFactor b = scaleFactor(p.input(1), xScale, depth + 1);
        if (a == null || b == null) return null;
        float[] c = a.constant == null ? b.constant : b.constant == null ? a.constant : multiply(a.constant, b.constant, p);
        return new ScaleFactor(c, a.hasXScale || b.hasXScale);
    }

    private float[] multiply(float[] a, float[] b, OnnxNode at) {
        if (a.length != b.length && a.length != 1 && b.length != 1) {
            throw fail("scales of " + a.length + " and " + b.length + " values do not broadcast at '" + at.name() + "'");
        }
        float[] r = new float[Math.max(a.length, b.length)];
        for (int i = 0; i < r.length; i++) r[i] = a[a.length == 1 ? 0 : i] * b[b.length == 1 ? 0 : i];
        return r;
    }

    /** Attaches the bias: the Add of a constant vector consuming {@code raw} (if {@code bias} is not given). */
    private Linear withBias(OnnxNode node, FloatTensor w, String raw, FloatTensor bias) {
        int outFeatures = w.dim(0);
        String output = raw;
        if (bias == null) {
            for (OnnxNode c : g.consumers(raw)) {
                if (!c.is("Add")) continue;
                FloatTensor b = vectorOther(c, raw);
                if (b != null && b.size() == outFeatures) {
                    bias = b;
                    output = c.output(0);
                    break;
                }
            }
        }
        if (bias == null) bias = new FloatTensor(new int[] {outFeatures}, new float[outFeatures]);
        if (bias.size() != outFeatures) {
            throw fail("projection '" + node.name() + "' has " + outFeatures + " outputs but a bias of " + bias.size());
        }
        return new Linear(node, w, flat(bias), output);
    }

    private boolean isWeight(String v) {
        OnnxTensor k = constant(v);
        if (k != null) return k.rank() == 2 && OnnxDataType.isFloat(k.dataType());
        return isDequantizedConst(v);
    }

    private boolean isDequantizedConst(String v) {
        OnnxNode p = g.producer(v);
        if (p == null || !p.is("DequantizeLinear")) return false;
        OnnxTensor q = constant(p.input(0));
        return q != null && q.rank() == 2;
    }

    private boolean isIntConst(String v) {
        OnnxTensor k = constant(v);
        return k != null && (k.dataType() == OnnxDataType.INT8 || k.dataType() == OnnxDataType.UINT8);
    }

    /** A 2-D float weight as stored (MatMul layout [in, out]), dequantizing a DequantizeLinear'd constant. */
    private FloatTensor weight(String v, OnnxNode user) {
        OnnxTensor k = constant(v);
        if (k != null) return k.toFloatTensor();
        OnnxNode p = g.producer(v);
        if (p != null && p.is("DequantizeLinear")) return dequantizeLinearWeight(p);
        throw fail("'" + user.name() + "': weight '" + v + "' is not a constant");
    }

    private FloatTensor dequantizeLinearWeight(OnnxNode dq) {
        OnnxTensor q = requireConst(dq.input(0), dq);
        OnnxTensor scale = requireConst(dq.input(1), dq);
        OnnxTensor zp = dq.input(2).isEmpty() ? null : requireConst(dq.input(2), dq);
        int[] s = q.shape();
        if (s.length != 2) throw fail("DequantizeLinear '" + dq.name() + "' input is " + q.describe() + ", expected 2-D");
        long axis = dq.attrInt("axis", 1);
        if (axis < 0) axis += 2;
        return dequantize(q, scale, zp, scale.elementCount() == 1 ? -1 : (int) axis, s[0], s[1], dq);
    }

    /**
     * {@code (q - zp) * scale} for a [rows, cols] integer tensor; {@code axis} -1 means per tensor,
     * 0 per row, 1 per column.
     */
    private FloatTensor dequantize(OnnxTensor q, OnnxTensor scaleT, OnnxTensor zpT, int axis, int rows, int cols, OnnxNode at) {
        if (!OnnxDataType.isInteger(q.dataType())) throw fail("'" + at.name() + "': quantized tensor '" + q.name() + "' is " + q.describe());
        float[] scale = scaleT.toFloatArray();
        long[] zp = zpT == null ? new long[] {0} : zpT.toLongArray();
        int groups = axis < 0 ? 1 : axis == 0 ? rows : cols;
        if (axis > 1 || scale.length != groups) {
            throw fail("'" + at.name() + "': " + scale.length + " scales for " + q.describe() + (axis < 0 ? "" : " along axis " + axis));
        }
        if (zp.length != 1 && zp.length != groups) {
            throw fail("'" + at.name() + "': " + zp.length + " zero points for " + scale.length + " scales");
        }
        if (q.dataType() != OnnxDataType.INT8 && q.dataType() != OnnxDataType.UINT8) {
            throw fail("'" + at.name() + "': quantized tensor '" + q.name() + "' is " + q.describe() + ", expected INT8 or UINT8");
        }
        byte[] raw = q.toByteArray();
        boolean unsigned = q.dataType() == OnnxDataType.UINT8;
        float[] w = new float[rows * cols];
        if (groups == 1 || axis == 0) {
            // one scale per tensor or per row: a 256-entry lookup table per group
            float[] lut = new float[256];
            for (int r = 0; r < rows; r++) {
                int gi = groups == 1 ? 0 : r;
                if (r == 0 || groups != 1) {
                    long z = zp[zp.length == 1 ? 0 : gi];
                    for (int b = 0; b < 256; b++) lut[b] = (float) ((unsigned ? b : (byte) b) - z) * scale[gi];
                }
                int base = r * cols;
                for (int c = 0; c < cols; c++) w[base + c] = lut[raw[base + c] & 0xFF];
            }
        } else {
            float[] zf = new float[cols];
            for (int c = 0; c < cols; c++) zf[c] = zp[zp.length == 1 ? 0 : c];
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                for (int c = 0; c < cols; c++) {
                    int qv = unsigned ? raw[base + c] & 0xFF : raw[base + c];
                    w[base + c] = (qv - zf[c]) * scale[c];
                }
            }
        }
        return new FloatTensor(new int[] {rows, cols}, w);
    }

    // ---- small graph helpers ------------------------------------------------------------------------

    private void put(String prefix, Linear l) {
        out.put(prefix + ".weight", l.weight);
        out.put(prefix + ".bias", l.bias);
    }

    private void putNorm(String prefix, LayerNorm ln) {
        out.put(prefix + ".weight", ln.gamma);
        out.put(prefix + ".bias", ln.beta);
    }

    /** An initializer or Constant output, looking through Identity nodes; or null. */
    private OnnxTensor constant(String v) {
        for (int i = 0; i < 4 && !v.isEmpty(); i++) {
            OnnxTensor t = g.constant(v);
            if (t != null) return t;
            OnnxNode p = g.producer(v);
            if (p == null || !p.is("Identity")) return null;
            v = p.input(0);
        }
        return null;
    }

    private OnnxTensor requireConst(String v, OnnxNode user) {
        OnnxTensor t = constant(v);
        if (t == null) throw fail(user.opType() + " '" + user.name() + "': input '" + v + "' is not a constant");
        return t;
    }

    private OnnxNode consumer(String v, java.util.function.Predicate<OnnxNode> p) {
        for (OnnxNode c : g.consumers(v)) if (p.test(c)) return c;
        return null;
    }

    private static String other(OnnxNode binary, String v) {
        return binary.input(0).equals(v) ? binary.input(1) : binary.input(0);
    }

    private boolean isScalar(String v, double expected) {
        OnnxTensor k = constant(v);
        return k != null && k.elementCount() == 1 && k.dataType() != OnnxDataType.STRING && k.scalar() == expected;
    }

    private boolean isScalarConst(String v) {
        OnnxTensor k = constant(v);
        return k != null && k.elementCount() == 1 && OnnxDataType.isFloat(k.dataType());
    }

    private Double scalarOther(OnnxNode n, String v) {
        OnnxTensor k = constant(other(n, v));
        if (k == null || k.elementCount() != 1 || !OnnxDataType.isFloat(k.dataType())) return null;
        return k.scalar();
    }

    /** The other operand of a binary node if it is a constant float vector (any rank, one non-1 axis). */
    private FloatTensor vectorOther(OnnxNode n, String v) {
        OnnxTensor k = constant(other(n, v));
        if (k == null || !OnnxDataType.isFloat(k.dataType()) || k.elementCount() < 2) return null;
        long[] d = k.dims();
        int big = 0;
        for (long x : d) if (x != 1) big++;
        if (big != 1) return null;
        return flat(k.toFloatTensor());
    }

    private static FloatTensor flat(FloatTensor t) {
        return t.rank() == 1 ? t : new FloatTensor(new int[] {t.data().length}, t.data());
    }

    private LacunaException fail(String what) {
        return new LacunaException(src + ": " + what);
    }
}
