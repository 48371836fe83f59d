// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.load.LoadedModel;
import dev.lacuna.load.ModelDirectory;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.model.bert.BertModel;
import dev.lacuna.sparsify.ModelSoup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lacuna soup}: average sparse models that share one mask, keeping the mask. */
@Command(name = "soup", mixinStandardHelpOptions = true, description = "Average Lacuna sparse models that share one mask (sparse model soup).")
public final class SoupCommand implements Callable<Integer> {
    @Option(names = "--models", required = true, split = ",", paramLabel = "DIR", description = "two or more Lacuna model directories, comma-separated")
    List<String> models;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output model directory")
    Path out;

    @Mixin
    OverwriteOption overwrite;


    @Override
    public Integer call() {
        if (models.size() < 2) throw new LacunaException("--models needs at least 2 model directories, got " + models.size());
        overwrite.refuseExisting(out, models.stream().map(Path::of).toArray(Path[]::new));
        List<LoadedModel> loaded = new ArrayList<>();
        List<BertModel> ms = new ArrayList<>();
        for (String m : models) {
            LoadedModel lm = ModelLoader.load(m);
            loaded.add(lm);
            ms.add(lm.encoder().model());
        }
        BertModel soup = ModelSoup.average(ms, models);
        LoadedModel first = loaded.get(0);
        long zeros = 0, total = 0;
        for (var l : soup.linears().values()) {
            for (float v : l.weight().data()) if (v == 0f) zeros++;
            total += l.weight().data().length;
        }
        try (AtomicDirectory dir = AtomicDirectory.create(out, overwrite.overwrite)) {
            Map<String, Object> prov = new LinkedHashMap<>();
            prov.put("soup_of", models);
            ModelDirectory.write(dir.dir(), soup, first.encoder().pooling(), first.encoder().tokenizer().maxLength(), first.tokenizerJson().get(), prov);
            dir.commit();
        }
        System.out.println(String.format(Locale.ROOT, "{\"out\":\"%s\",\"models\":%d,\"sparsity\":%.4f}", out, models.size(), (double) zeros / total));
        return 0;
    }
}
