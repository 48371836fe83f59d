// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.WordPieceTokenizer;

import java.io.*;
import java.nio.file.*;
import java.util.*;

/**
 * Lab (not a test; its result, "bm25cos" at mass 0.9, is ContextualTermWeights): compares document term-weighting schemes for inference-free sparse retrieval on a
 * BEIR set with an in-memory scorer; the per-token cosines are computed once and cached under target/lab.
 * Run: java -cp target/classes:target/test-classes:target/lib/* dev.lacuna.retrieval.SparseWeightLab DIR
 */
public final class SparseWeightLab {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        BeirCollection c = new BeirReader(OnBadRecord.SKIP, s -> {}).read(dir, "test");
        LoadedModel lm = ModelLoader.load("default");
        WordPieceTokenizer wp = (WordPieceTokenizer) lm.encoder().tokenizer();
        int n = c.documents().size();
        Path cache = Path.of("target/lab/" + dir.getFileName() + "-cos.bin");
        int[][] ids = new int[n][];
        float[][] cos = new float[n][];
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
                for (int d = 0; d < n; d++) {
                    int len = in.readInt();
                    ids[d] = new int[len];
                    cos[d] = new float[len];
                    for (int i = 0; i < len; i++) { ids[d][i] = in.readInt(); cos[d][i] = in.readFloat(); }
                }
            }
        } else {
            List<String> texts = c.documents().stream().map(BeirDocument::fullText).toList();
            List<Encoding> enc = lm.encoder().tokenize(texts);
            int C = lm.encoder().model().config().hiddenSize();
            try (Parallel par = new Parallel(2)) {
                lm.encoder().embedEncodings(par, enc, 32, null, (inputs, batch, hidden, pooled) -> {
                    for (int b = 0; b < inputs.length; b++) {
                        int s = batch.seqStarts()[b], len = batch.length(b);
                        int[] ii = new int[len]; float[] cc = new float[len];
                        for (int t = 0; t < len; t++) {
                            ii[t] = batch.ids()[s + t];
                            double dot = 0, nn = 0;
                            for (int j = 0; j < C; j++) { float h = hidden[(s + t) * C + j]; dot += h * pooled[b][j]; nn += h * h; }
                            cc[t] = (float) (dot / Math.sqrt(nn));
                        }
                        ids[inputs[b]] = ii; cos[inputs[b]] = cc;
                    }
                });
            }
            Files.createDirectories(cache.getParent());
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
                for (int d = 0; d < n; d++) {
                    out.writeInt(ids[d].length);
                    for (int i = 0; i < ids[d].length; i++) { out.writeInt(ids[d][i]); out.writeFloat(cos[d][i]); }
                }
            }
        }
        int V = wp.vocabulary().length;
        int[] df = new int[V];
        double avgLen = 0;
        for (int d = 0; d < n; d++) {
            Set<Integer> seen = new HashSet<>();
            for (int id : ids[d]) if (!wp.isSpecial(id) && seen.add(id)) df[id]++;
            avgLen += ids[d].length;
        }
        avgLen /= n;
        float[] idf = new float[V];
        for (int v = 0; v < V; v++) idf[v] = ContextualTermWeights.idf(df[v], n);
        String[] schemes = a.length > 1 ? a[1].split(",") : new String[] {"log1p", "sum", "max", "bm25tf", "bm25cos", "bm25cos2", "tfidf"};
        double[] masses = a.length > 2 ? new double[] {0.9} : new double[] {1.0, 0.9, 0.8};
        // optional expansion (args: DIR SCHEMES INDEX k:lambda,...): the k vocabulary tokens whose input
        // embedding is closest (cosine) to the document's pooled embedding, weight lambda * cosine
        List<int[]> expIds = new ArrayList<>();
        List<float[]> expCos = new ArrayList<>();
        String[] expSpecs = a.length > 3 ? a[3].split(",") : new String[] {"0:0"};
        if (a.length > 2) {
            float[] E = lm.encoder().model().tensors().get("embeddings.word_embeddings.weight").data();
            int C = 384, VV = wp.vocabulary().length;
            float[] En = new float[VV];
            for (int v = 0; v < VV; v++) { double nn = 0; for (int j = 0; j < C; j++) nn += E[v * C + j] * E[v * C + j]; En[v] = (float) Math.sqrt(nn); }
            String[] vocabS = wp.vocabulary();
            try (RetrievalIndex idx = RetrievalIndex.open(Path.of(a[2]))) {
                for (int d = 0; d < n; d++) {
                    float[] e = idx.vector(d);
                    float[] sc = new float[VV];
                    for (int v = 0; v < VV; v++) { double dot = 0; for (int j = 0; j < C; j++) dot += E[v * C + j] * e[j]; sc[v] = (float) (dot / En[v]); }
                    Integer[] o = new Integer[VV];
                    for (int v = 0; v < VV; v++) o[v] = v;
                    Arrays.sort(o, (x, y) -> Float.compare(sc[y], sc[x]));
                    int[] top = new int[50]; float[] tc = new float[50]; int m = 0;
                    for (int i = 0; i < VV && m < 50; i++) {
                        String t = vocabS[o[i]];
                        if (t == null || wp.isSpecial(o[i]) || t.startsWith("[")) continue;
                        top[m] = o[i]; tc[m++] = sc[o[i]];
                    }
                    expIds.add(top); expCos.add(tc);
                }
            }
        }
        for (String spec : expSpecs) {
        int expK = Integer.parseInt(spec.split(":")[0]);
        double lambda = Double.parseDouble(spec.split(":")[1]);
        for (String scheme : schemes) for (double mass : masses) {
            // doc weights
            List<Map<Integer, Float>> w = new ArrayList<>();
            long nnz = 0;
            for (int d = 0; d < n; d++) {
                Map<Integer, double[]> acc = new HashMap<>();   // sumcos, tf, maxcos, sumcos^2, sum rel
                double meanCos = 0; int cnt = 0;
                for (int i = 0; i < ids[d].length; i++) if (!wp.isSpecial(ids[d][i])) { meanCos += Math.max(0, cos[d][i]); cnt++; }
                meanCos = cnt == 0 ? 1 : Math.max(1e-6, meanCos / cnt);
                for (int i = 0; i < ids[d].length; i++) {
                    int id = ids[d][i];
                    if (wp.isSpecial(id)) continue;
                    double cc = Math.max(0, cos[d][i]);
                    double[] x = acc.computeIfAbsent(id, k -> new double[5]);
                    x[0] += cc; x[1] += 1; x[2] = Math.max(x[2], cc); x[3] += cc * cc; x[4] += cc / meanCos;
                }
                double norm = 1 - 0.75 + 0.75 * ids[d].length / avgLen;
                Map<Integer, Float> m = new HashMap<>();
                for (int i = 0; i < expK; i++) {
                    int t = expIds.get(d)[i];
                    if (!acc.containsKey(t)) m.put(t, (float) (lambda * Math.max(0, expCos.get(d)[i])));
                }
                for (var e : acc.entrySet()) {
                    double[] x = e.getValue();
                    double v = switch (scheme) {
                        case "log1p" -> Math.log1p(x[0]);
                        case "sum" -> x[0];
                        case "max" -> x[2];
                        case "bm25tf" -> x[1] * 2.2 / (x[1] + 1.2 * norm);
                        case "bm25cos" -> x[0] * 2.2 / (x[0] + 1.2 * norm);
                        case "bm25cos2" -> { double t = x[0] / Math.max(1e-9, x[2]) ; yield x[2] * t * 2.2 / (t + 1.2 * norm); }
                        case "tfidf" -> Math.log1p(x[1]);
                        case "bm25cos2p" -> x[3] * 2.2 / (x[3] + 1.2 * norm);
                        case "bm25rel" -> x[4] * 2.2 / (x[4] + 1.2 * norm);
                        case "bm25cosk2" -> x[0] * 3.0 / (x[0] + 2.0 * norm);
                        case "bm25cosk05" -> x[0] * 1.5 / (x[0] + 0.5 * norm);
                        case "bm25relnb" -> x[4] * 2.2 / (x[4] + 1.2);
                        default -> throw new IllegalArgumentException(scheme);
                    };
                    if (v > 0) m.put(e.getKey(), (float) v);
                }
                // prune by idf mass
                List<Map.Entry<Integer, Float>> es = new ArrayList<>(m.entrySet());
                es.sort((p, q) -> Double.compare(q.getValue() * idf[q.getKey()], p.getValue() * idf[p.getKey()]));
                double tot = 0; for (var e : es) tot += e.getValue() * idf[e.getKey()];
                Map<Integer, Float> kept = new HashMap<>(); double cov = 0;
                for (var e : es) { if (!kept.isEmpty() && cov >= mass * tot) break; kept.put(e.getKey(), e.getValue()); cov += e.getValue() * idf[e.getKey()]; }
                nnz += kept.size();
                w.add(kept);
            }
            Map<Integer, List<int[]>> post = new HashMap<>();
            List<Map<Integer,Float>> ww = w;
            int[] postLen = new int[V];
            for (int d = 0; d < n; d++) for (int t : w.get(d).keySet()) postLen[t]++;
            double ndcg = 0, rec = 0, postings = 0;
            List<BeirQuery> qs = c.judgedQueries();
            for (BeirQuery q : qs) {
                double[] score = new double[n];
                Map<Integer, Integer> qt = new HashMap<>();
                for (int id : wp.encode(q.text()).ids()) if (!wp.isSpecial(id)) qt.merge(id, 1, Integer::sum);
                for (var e : qt.entrySet()) {
                    postings += postLen[e.getKey()];
                    for (int d = 0; d < n; d++) { Float x = ww.get(d).get(e.getKey()); if (x != null) score[d] += e.getValue() * idf[e.getKey()] * x; }
                }
                List<ScoredDoc> run = new ArrayList<>();
                for (int d = 0; d < n; d++) if (score[d] > 0) run.add(new ScoredDoc(c.documents().get(d).id(), d, (float) score[d]));
                run.sort((x, y) -> Float.compare(y.score(), x.score()));
                run = run.subList(0, Math.min(100, run.size()));
                ndcg += TrecMetrics.ndcg(run, c.qrels().get(q.id()), 10);
                rec += TrecMetrics.recall(run, c.qrels().get(q.id()), 100);
            }
            System.out.printf(Locale.ROOT, "exp=%s %-9s mass=%.2f ndcg@10=%.4f recall@100=%.4f postings/q=%.0f terms/doc=%.1f%n", spec, scheme, mass,
                    ndcg / qs.size(), rec / qs.size(), postings / qs.size(), (double) nnz / n);
        }
        }
    }
}
