// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.cli;

import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicOutput;
import dev.lacuna.io.PathChecks;
import dev.lacuna.load.ModelLoader;
import dev.lacuna.retrieval.BulkExporter;
import dev.lacuna.retrieval.RetrievalIndex;
import dev.lacuna.tokenizer.WordPieceTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lacuna bulk-export}: an index's sparse and dense vectors as OpenSearch or Elasticsearch bulk NDJSON. */
@Command(name = "bulk-export", mixinStandardHelpOptions = true,
        description = "Export an index as OpenSearch (rank_features, knn_vector) or Elasticsearch (sparse_vector, dense_vector) bulk NDJSON.")
public final class BulkExportCommand implements Callable<Integer> {
    @Option(names = "--index", required = true, paramLabel = "INDEX", description = "index built by 'lacuna index'")
    Path index;

    @Option(names = "--format", required = true, paramLabel = "F", description = "opensearch or elasticsearch")
    String format;

    @Option(names = "--out", required = true, paramLabel = "FILE.ndjson", description = "bulk body to write (atomically)")
    Path out;

    @Option(names = "--mapping", paramLabel = "FILE.json", description = "also write the index-creation body (settings, mappings)")
    Path mapping;

    @Option(names = "--index-name", defaultValue = "lacuna", paramLabel = "NAME", description = "_index of every action line (default: ${DEFAULT-VALUE})")
    String indexName;

    @Override
    public Integer call() throws IOException {
        BulkExporter.Target t = BulkExporter.Target.parse(format);
        PathChecks.refuseOutputOverInput(out, index);
        PathChecks.refuseOutputOverInput(mapping, index, out);
        try (RetrievalIndex idx = RetrievalIndex.open(index)) {
            String[] vocab = null;
            if (idx.info().has("sparse") && idx.info().sparseWords()) {
                vocab = idx.info().sparseTerms();   // analysed words, recorded in the index
            } else if (idx.info().has("sparse")) {
                // feature names are the WordPiece tokens of the model the index was built with
                String model = idx.info().model();
                if (!(ModelLoader.load(model).encoder().tokenizer() instanceof WordPieceTokenizer wp)) {
                    throw new LacunaException("model " + model + " of " + index + " has no WordPiece tokenizer");
                }
                vocab = wp.vocabulary();
            }
            BulkExporter.Summary s;
            try (AtomicOutput o = AtomicOutput.open(out)) {
                s = BulkExporter.write(idx, t, indexName, vocab, o.writer());
                o.commit();
            }
            if (mapping != null) {
                try (AtomicOutput o = AtomicOutput.open(mapping)) {
                    o.writer().write(BulkExporter.mapping(idx.info(), t));
                    o.commit();
                }
            }
            System.out.println(String.format(Locale.ROOT, "{\"documents\":%d,\"features\":%d,\"dropped_features\":%d,\"format\":\"%s\"}",
                    s.documents(), s.features(), s.droppedFeatures(), format));
        }
        return 0;
    }
}
