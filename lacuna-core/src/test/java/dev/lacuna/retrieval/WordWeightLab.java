// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.retrieval;

import dev.lacuna.concurrent.Parallel;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.tokenizer.Encoding;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

import java.io.*;
import java.nio.file.*;
import java.util.*;

/**
 * Lab (not a test): document term weights over analysed words instead of WordPiece ids. A document's
 * WordPiece tokens are regrouped into words (a piece without "##" starts one), each word goes through
 * BM25's English analysis, and a stem's contextual frequency is the sum over its occurrences of s(word)
 * (from the per-token cosines to the pooled embedding); queries are analysed the same way and weighted
 * by IDF. With s = 1 this is BM25 over the same words. Cosines are cached under target/lab.
 * Run: java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.lacuna.retrieval.WordWeightLab DIR [schemes]
 */
public final class WordWeightLab {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[0]);
        BeirCollection c = new BeirReader(OnBadRecord.SKIP, s -> {}).read(dir, "test");
        LoadedModel lm = ModelLoader.load("default");
        WordPieceTokenizer wp = (WordPieceTokenizer) lm.encoder().tokenizer();
        String[] vocab = wp.vocabulary();
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
        Analyzer an = Fields.analyzer();
        Map<String, String[]> stems = new HashMap<>();
        Map<String, Integer> dict = new HashMap<>();
        WordPieceTokenizer full = wp.withMaxLength(1 << 20);
        // per document: stem id and s-features of each occurrence: [mean cos, first cos, max cos, kept?]
        List<int[]> occT = new ArrayList<>();
        List<float[][]> occS = new ArrayList<>();
        int truncatedDocs = 0;
        for (int d = 0; d < n; d++) {
            int[] all = full.encode(c.documents().get(d).fullText()).ids();
            List<Integer> t = new ArrayList<>();
            List<float[]> s = new ArrayList<>();
            int i = 0;
            boolean trunc = false;
            while (i < all.length) {
                if (wp.isSpecial(all[i])) { i++; continue; }
                int j = i + 1;
                StringBuilder w = new StringBuilder(vocab[all[i]]);
                while (j < all.length && !wp.isSpecial(all[j]) && vocab[all[j]].startsWith("##")) { w.append(vocab[all[j]], 2, vocab[all[j]].length()); j++; }
                float[] f;
                if (j <= ids[d].length - 1) {
                    double sum = 0, mx = -1; for (int k = i; k < j; k++) { sum += cos[d][k]; mx = Math.max(mx, cos[d][k]); }
                    f = new float[] {(float) (sum / (j - i)), cos[d][i], (float) mx, 1};
                } else { f = new float[] {0, 0, 0, 0}; trunc = true; }
                for (String st : stems.computeIfAbsent(w.toString(), x -> stem(an, x))) {
                    t.add(dict.computeIfAbsent(st, x -> dict.size()));
                    s.add(f);
                }
                i = j;
            }
            if (trunc) truncatedDocs++;
            occT.add(t.stream().mapToInt(Integer::intValue).toArray());
            occS.add(s.toArray(float[][]::new));
        }
        int V = dict.size();
        int[] df = new int[V];
        double avgLen = 0;
        for (int d = 0; d < n; d++) {
            for (int x : Arrays.stream(occT.get(d)).distinct().toArray()) df[x]++;
            avgLen += occT.get(d).length;
        }
        avgLen /= n;
        System.out.printf(Locale.ROOT, "%d docs, %d stems, avg len %.1f, %d docs longer than the model window%n", n, V, avgLen, truncatedDocs);
        float[] idf = new float[V];
        for (int v = 0; v < V; v++) idf[v] = ContextualTermWeights.idf(df[v], n);
        String[] schemes = a.length > 1 ? a[1].split(",") : new String[] {"one", "mean", "first", "max", "relmean"};
        double[] masses = {1.0, 0.9};
        for (String scheme : schemes) for (double mass : masses) {
            List<Map<Integer, Float>> w = new ArrayList<>();
            long nnz = 0;
            for (int d = 0; d < n; d++) {
                int[] t = occT.get(d);
                float[][] f = occS.get(d);
                double mean = 0; int kept = 0;
                for (float[] x : f) if (x[3] > 0) { mean += Math.max(0, x[0]); kept++; }
                mean = kept == 0 ? 1 : Math.max(1e-6, mean / kept);
                Map<Integer, Double> tf = new HashMap<>();
                for (int k = 0; k < t.length; k++) {
                    double sk = f[k][3] == 0 ? (scheme.equals("one") ? 1 : scheme.equals("relmean") ? 1 : mean) : switch (scheme) {
                        case "one" -> 1;
                        case "mean" -> Math.max(0, f[k][0]);
                        case "first" -> Math.max(0, f[k][1]);
                        case "max" -> Math.max(0, f[k][2]);
                        case "relmean" -> Math.max(0, f[k][0]) / mean;
                        default -> throw new IllegalArgumentException(scheme);
                    };
                    tf.merge(t[k], sk, Double::sum);
                }
                double norm = 1.2 * (1 - 0.75 + 0.75 * t.length / avgLen);
                Map<Integer, Float> m = new HashMap<>();
                for (var e : tf.entrySet()) { double x = e.getValue(); if (x > 0) m.put(e.getKey(), (float) (x * 2.2 / (x + norm))); }
                List<Map.Entry<Integer, Float>> es = new ArrayList<>(m.entrySet());
                es.sort((p, q) -> Double.compare(q.getValue() * idf[q.getKey()], p.getValue() * idf[p.getKey()]));
                double tot = 0; for (var e : es) tot += e.getValue() * idf[e.getKey()];
                Map<Integer, Float> keptW = new HashMap<>(); double cov = 0;
                for (var e : es) { if (!keptW.isEmpty() && cov >= mass * tot - 1e-9) break; keptW.put(e.getKey(), e.getValue()); cov += e.getValue() * idf[e.getKey()]; }
                nnz += keptW.size();
                w.add(keptW);
            }
            int[] postLen = new int[V];
            for (int d = 0; d < n; d++) for (int t : w.get(d).keySet()) postLen[t]++;
            double ndcg = 0, rec = 0, postings = 0;
            List<BeirQuery> qs = c.judgedQueries();
            for (BeirQuery q : qs) {
                double[] score = new double[n];
                Map<Integer, Integer> qt = new HashMap<>();
                for (String st : queryStems(wp, vocab, an, stems, q.text())) { Integer id = dict.get(st); if (id != null) qt.merge(id, 1, Integer::sum); }
                for (var e : qt.entrySet()) {
                    postings += postLen[e.getKey()];
                    for (int d = 0; d < n; d++) { Float x = w.get(d).get(e.getKey()); if (x != null) score[d] += e.getValue() * idf[e.getKey()] * x; }
                }
                List<ScoredDoc> run = new ArrayList<>();
                for (int d = 0; d < n; d++) if (score[d] > 0) run.add(new ScoredDoc(c.documents().get(d).id(), d, (float) score[d]));
                run.sort((x, y) -> Float.compare(y.score(), x.score()));
                run = run.subList(0, Math.min(100, run.size()));
                ndcg += TrecMetrics.ndcg(run, c.qrels().get(q.id()), 10);
                rec += TrecMetrics.recall(run, c.qrels().get(q.id()), 100);
            }
            System.out.printf(Locale.ROOT, "%-8s mass=%.2f ndcg@10=%.4f recall@100=%.4f postings/q=%.0f terms/doc=%.1f%n", scheme, mass,
                    ndcg / qs.size(), rec / qs.size(), postings / qs.size(), (double) nnz / n);
        }
    }

    static List<String> queryStems(WordPieceTokenizer wp, String[] vocab, Analyzer an, Map<String, String[]> stems, String text) {
        int[] all = wp.encode(text).ids();
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < all.length) {
            if (wp.isSpecial(all[i])) { i++; continue; }
            int j = i + 1;
            StringBuilder w = new StringBuilder(vocab[all[i]]);
            while (j < all.length && !wp.isSpecial(all[j]) && vocab[all[j]].startsWith("##")) { w.append(vocab[all[j]], 2, vocab[all[j]].length()); j++; }
            out.addAll(Arrays.asList(stems.computeIfAbsent(w.toString(), x -> stem(an, x))));
            i = j;
        }
        return out;
    }

    static String[] stem(Analyzer a, String word) {
        List<String> out = new ArrayList<>(1);
        try (TokenStream ts = a.tokenStream(Fields.TEXT, word)) {
            CharTermAttribute ct = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(ct.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toArray(String[]::new);
    }
}
