// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.sae;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lacuna.LacunaException;
import dev.lacuna.concurrent.Parallel;
import dev.lacuna.io.Progress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A static HTML site for browsing an SAE's latents: {@code index.html} (every latent that fired, with
 * density, max activation and its most frequent top tokens; sortable by column and searchable by
 * token, client-side) and {@code latents/J.html} per latent (top activating contexts with the token
 * highlighted, an activation histogram, density). No external resources: opens from the file system.
 */
public final class SaeDashboard {
    private SaeDashboard() {}

    /** Token strings by id, from a Hugging Face tokenizer.json's WordPiece vocabulary. */
    public static String[] vocabulary(byte[] tokenizerJson) {
        try {
            JsonNode v = new ObjectMapper().readTree(tokenizerJson).path("model").path("vocab");
            if (!v.isObject()) throw new LacunaException("tokenizer.json has no model.vocab");
            int max = 0;
            for (var it = v.fields(); it.hasNext(); ) max = Math.max(max, it.next().getValue().asInt());
            String[] out = new String[max + 1];
            for (var it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                out[e.getValue().asInt()] = e.getKey();
            }
            return out;
        } catch (IOException e) {
            throw new LacunaException("tokenizer.json is not valid JSON");
        }
    }

    /** Summary of what was written. */
    public record Result(int latentsShown, long tokens) {}

    /**
     * Encodes the first {@code maxTokens} store rows and writes the site into {@code dir}.
     *
     * @param top    contexts per latent
     * @param radius tokens of context on each side
     */
    public static Result write(Parallel par, Sae sae, ActivationStore store, String[] vocab, long maxTokens, int top, int radius,
                               Path dir, Progress progress) {
        int d = sae.config().dIn(), l = sae.config().dSae();
        long n = Math.min(store.tokens(), maxTokens);
        // every active (row, latent, value), grouped by latent afterwards
        int cap = 1 << 16, size = 0;
        int[] eRow = new int[cap], eLat = new int[cap];
        float[] eVal = new float[cap];
        int bsz = 1024;
        float[] x = new float[bsz * d];
        SaeArchitecture.Work w = new SaeArchitecture.Work();
        for (long r0 = 0; r0 < n; r0 += bsz) {
            int rows = (int) Math.min(bsz, n - r0);
            for (int r = 0; r < rows; r++) store.row(r0 + r, x, r * d);
            sae.encode(par, x, rows, w);
            Codes c = w.codes();
            for (int b = 0; b < rows; b++) {
                for (int q = c.start[b]; q < c.start[b] + c.len[b]; q++) {
                    if (c.val[q] <= 0) continue;
                    if (size == cap) {
                        cap *= 2;
                        eRow = Arrays.copyOf(eRow, cap);
                        eLat = Arrays.copyOf(eLat, cap);
                        eVal = Arrays.copyOf(eVal, cap);
                    }
                    eRow[size] = (int) (r0 + b);
                    eLat[size] = c.idx[q];
                    eVal[size++] = c.val[q];
                }
            }
            if (progress != null) progress.advance(rows);
        }
        int[] ptr = new int[l + 1];
        for (int i = 0; i < size; i++) ptr[eLat[i] + 1]++;
        for (int j = 0; j < l; j++) ptr[j + 1] += ptr[j];
        int[] fill = ptr.clone();
        int[] byLat = new int[size];
        for (int i = 0; i < size; i++) byLat[fill[eLat[i]]++] = i;
        try {
            Files.createDirectories(dir.resolve("latents"));
            ArrayNode index = new ObjectMapper().createArrayNode();
            int shown = 0;
            for (int j = 0; j < l; j++) {
                int cnt = ptr[j + 1] - ptr[j];
                if (cnt == 0) continue;
                shown++;
                Integer[] order = new Integer[cnt];
                for (int t = 0; t < cnt; t++) order[t] = byLat[ptr[j] + t];
                final float[] vals = eVal;
                Arrays.sort(order, (a, b) -> Float.compare(vals[b], vals[a]));
                float max = eVal[order[0]];
                int[] hist = new int[20];
                for (int t = 0; t < cnt; t++) hist[Math.min(19, (int) (eVal[order[t]] / max * 20))]++;
                double density = (double) cnt / n;
                // top tokens: the most frequent tokens among the top activations
                Map<String, Integer> freq = new HashMap<>();
                int k = Math.min(top, cnt);
                StringBuilder ctx = new StringBuilder();
                for (int t = 0; t < k; t++) {
                    int row = eRow[order[t]];
                    freq.merge(token(vocab, store.tokenId(row)), 1, Integer::sum);
                    ctx.append(context(store, vocab, row, radius, eVal[order[t]], max));
                }
                List<Map.Entry<String, Integer>> tops = new ArrayList<>(freq.entrySet());
                tops.sort((a, b) -> b.getValue() != a.getValue().intValue() ? b.getValue() - a.getValue() : a.getKey().compareTo(b.getKey()));
                ObjectNode e = index.addObject();
                e.put("id", j);
                e.put("density", density);
                e.put("max", max);
                ArrayNode tt = e.putArray("tokens");
                for (int t = 0; t < Math.min(5, tops.size()); t++) tt.add(tops.get(t).getKey());
                Files.writeString(dir.resolve("latents/" + j + ".html"), latentPage(sae, j, cnt, density, max, hist, ctx.toString(), n));
            }
            Files.writeString(dir.resolve("index.html"), indexPage(sae, index.toString(), n, shown));
            return new Result(shown, n);
        } catch (IOException e) {
            throw new LacunaException(dir + ": cannot write dashboard (" + e.getMessage() + ")");
        }
    }

    static String token(String[] vocab, int id) {
        return id >= 0 && id < vocab.length && vocab[id] != null ? vocab[id] : "<" + id + ">";
    }

    /** One context line: tokens around {@code row} in its sequence, the row's token highlighted. */
    private static String context(ActivationStore store, String[] vocab, int row, int radius, float val, float max) {
        int seq = store.sequence(row);
        long from = row, to = row;
        while (from > 0 && row - from < radius && store.sequence(from - 1) == seq) from--;
        while (to + 1 < store.tokens() && to - row < radius && store.sequence(to + 1) == seq) to++;
        StringBuilder sb = new StringBuilder("<div class=\"ctx\"><span class=\"act\">").append(String.format(Locale.ROOT, "%.2f", val)).append("</span> ");
        for (long r = from; r <= to; r++) {
            String t = esc(token(vocab, store.tokenId(r)));
            if (r == row) sb.append("<mark>").append(t).append("</mark> ");
            else sb.append("<span class=\"tok\">").append(t).append("</span> ");
        }
        return sb.append("</div>\n").toString();
    }

    private static final String CSS = "body{font:14px/1.5 system-ui,sans-serif;margin:24px;color:#222}"
            + "mark{background:#ff9800;color:#000;padding:1px 3px;border-radius:3px;font-weight:bold}"
            + ".ctx{font-family:monospace;font-size:15px;padding:4px 0;border-bottom:1px solid #eee}"
            + ".act{display:inline-block;width:56px;color:#1565c0}.tok{color:#333}"
            + "table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}"
            + "th{cursor:pointer;background:#f3f3f3}input{font-size:15px;padding:4px;width:280px}";

    private static String latentPage(Sae sae, int j, int cnt, double density, float max, int[] hist, String contexts, long n) {
        int hmax = Arrays.stream(hist).max().orElse(1);
        StringBuilder svg = new StringBuilder("<svg width=\"420\" height=\"140\" xmlns=\"http://www.w3.org/2000/svg\">");
        for (int b = 0; b < hist.length; b++) {
            int h = (int) Math.round(110.0 * hist[b] / hmax);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"18\" height=\"%d\" fill=\"#1565c0\"><title>%d</title></rect>", 10 + b * 20, 115 - h, h, hist[b]));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"134\" font-size=\"11\">0</text><text x=\"360\" y=\"134\" font-size=\"11\">%.2f</text></svg>", max));
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>latent " + j + "</title><style>" + CSS + "</style></head><body>"
                + "<p><a href=\"../index.html\">all latents</a></p>"
                + "<h1>Latent " + j + "</h1>"
                + String.format(Locale.ROOT, "<p id=\"stats\">density <b>%.5f</b> (%d of %d tokens) &middot; max activation <b>%.3f</b> &middot; %s, hook %s</p>",
                density, cnt, n, max, esc(sae.config().architecture()), esc(sae.config().hookName()))
                + "<h2>Activation histogram</h2>" + svg
                + "<h2>Top activating contexts</h2>" + contexts + "</body></html>\n";
    }

    private static String indexPage(Sae sae, String json, long n, int shown) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>SAE dashboard</title><style>" + CSS + "</style></head><body>"
                + "<h1>SAE latents</h1>"
                + String.format(Locale.ROOT, "<p>%s, %d latents, hook %s, model %s; %d latents fired on %d tokens.</p>",
                esc(sae.config().architecture()), sae.config().dSae(), esc(sae.config().hookName()), esc(sae.config().modelName()), shown, n)
                + "<p><input id=\"q\" placeholder=\"search by token, e.g. the\"> <span id=\"count\"></span></p>"
                + "<table><thead><tr><th data-k=\"id\">latent</th><th data-k=\"density\">density &#x25BE;</th><th data-k=\"max\">max act</th><th>top tokens</th></tr></thead><tbody id=\"rows\"></tbody></table>"
                + "<script>const DATA=" + json.replace("</", "<\\/") + ";\n"
                + "let key='density',desc=true;const q=document.getElementById('q');\n"
                + "const p=new URLSearchParams(location.search);if(p.get('q'))q.value=p.get('q');if(p.get('sort')){key=p.get('sort');desc=p.get('dir')!=='asc';}\n"
                + "function esc(s){return s.replace(/[&<>\"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;'}[c]));}\n"
                + "function render(){const s=q.value.trim().toLowerCase();let r=DATA.filter(d=>!s||d.tokens.some(t=>t.toLowerCase().replace(/^##/,'').includes(s.replace(/^##/,''))));"
                + "r.sort((a,b)=>desc?b[key]-a[key]:a[key]-b[key]);"
                + "document.getElementById('rows').innerHTML=r.slice(0,2000).map(d=>`<tr data-latent=\"${d.id}\"><td><a href=\"latents/${d.id}.html\">${d.id}</a></td><td>${d.density.toFixed(5)}</td><td>${d.max.toFixed(3)}</td><td>${d.tokens.map(esc).join(' ')}</td></tr>`).join('');"
                + "document.getElementById('count').textContent=r.length+' of '+DATA.length+' latents';}\n"
                + "document.querySelectorAll('th[data-k]').forEach(th=>th.onclick=()=>{const k=th.dataset.k;desc=key===k?!desc:true;key=k;render();});\n"
                + "q.oninput=render;render();</script></body></html>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
