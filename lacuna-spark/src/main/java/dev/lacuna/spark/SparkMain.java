// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.spark;

import dev.lacuna.LacunaException;
import dev.lacuna.io.AtomicDirectory;
import dev.lacuna.retrieval.IndexInfo;
import dev.lacuna.retrieval.OnBadRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code lacuna spark index|embed}: the Spark jobs from the command line (through {@code ./lacuna spark}
 * with {@code --master local[N]}, or {@code spark-submit --class dev.lacuna.spark.SparkMain} on a
 * cluster, where the master comes from spark-submit). Bad input: a one-line error and exit 1.
 */
@Command(name = "lacuna spark", mixinStandardHelpOptions = true, description = "Lacuna jobs on Apache Spark.",
        subcommands = {SparkMain.Index.class, SparkMain.Embed.class})
public final class SparkMain implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new LacunaException("missing command (index, embed); see --help");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((e, c, p) -> {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof LacunaException)) t = t.getCause();
            String msg = t instanceof LacunaException ? t.getMessage() : String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            System.err.println("lacuna spark: " + msg);
            return 1;
        });
        return cl.execute(args);
    }

    static SparkSession session(String master, String app) {
        SparkSession.Builder b = SparkSession.builder().appName(app);
        if (master != null) b = b.master(master).config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        return b.getOrCreate();
    }

    static void requireLocalOrSubmitted(String master) {
        if (master == null && System.getProperty("spark.master") == null) {
            throw new LacunaException("--master is required outside spark-submit (e.g. --master local[2])");
        }
    }

    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Build a Lacuna index (bm25, dense, sparse) of a BEIR corpus with Spark: executors embed and index partitions, the driver merges them.")
    static final class Index implements Callable<Integer> {
        @Option(names = "--beir", required = true, paramLabel = "DIR") Path beir;
        @Option(names = "--out", required = true, paramLabel = "INDEX") Path out;
        @Option(names = "--overwrite") boolean overwrite;
        @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[2] (default: spark-submit's)") String master;
        @Option(names = "--model", defaultValue = "default", paramLabel = "M") String model;
        @Option(names = "--kinds", defaultValue = "bm25,dense,sparse", paramLabel = "K,..", description = "bm25, dense, sparse (default: ${DEFAULT-VALUE})") String kinds;
        @Option(names = "--partitions", defaultValue = "0", paramLabel = "P", description = "corpus slices (default: the default parallelism)") int partitions;
        @Option(names = "--threads", defaultValue = "1", paramLabel = "T", description = "forward-pass threads per executor JVM (default: ${DEFAULT-VALUE})") int threads;
        @Option(names = "--batch", defaultValue = "32", paramLabel = "N") int batch;
        @Option(names = "--hnsw-m", defaultValue = "16") int hnswM;
        @Option(names = "--hnsw-beam", defaultValue = "100") int hnswBeam;
        @Option(names = "--sparse-mass", defaultValue = "0.9", paramLabel = "F") double sparseMass;
        @Option(names = "--sparse-max-terms", defaultValue = "256", paramLabel = "N") int sparseMaxTerms;
        @Option(names = "--on-bad-record", defaultValue = "skip", paramLabel = "P") String onBad;
        @Option(names = "--sparse-analysis", defaultValue = "words", paramLabel = "A",
                description = "terms of the sparse kind: words (BM25's analysed words, as lacuna index) or none (WordPiece tokens) (default: ${DEFAULT-VALUE})")
        String sparseAnalysis;

        @Override
        public Integer call() {
            requireLocalOrSubmitted(master);
            List<String> k = Arrays.stream(kinds.split(",")).map(String::strip).toList();
            OnBadRecord policy = switch (onBad) {
                case "skip" -> OnBadRecord.SKIP;
                case "fail" -> OnBadRecord.FAIL;
                default -> throw new LacunaException("--on-bad-record must be skip or fail, got " + onBad);
            };
            if (Files.exists(out) && !overwrite) throw new LacunaException(out + " already exists (use --overwrite to replace it)");
            new LacunaSpark.IndexOptions(model, k, 1, threads, batch, hnswM, hnswBeam, sparseMass, sparseMaxTerms, policy, sparseAnalysis);   // its checks, before Spark starts
            SparkSession spark = session(master, "lacuna index");
            int p = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
            long t0 = System.nanoTime();
            IndexInfo info = LacunaSpark.index(spark, beir, out, overwrite, new LacunaSpark.IndexOptions(model, k, p, threads, batch, hnswM, hnswBeam, sparseMass, sparseMaxTerms, policy, sparseAnalysis));
            System.out.println(String.format(Locale.ROOT, "{\"index\":\"%s\",\"documents\":%d,\"skipped\":%d,\"kinds\":\"%s\",\"partitions\":%d,\"seconds\":%.1f}",
                    out.toString().replace("\\", "\\\\").replace("\"", "\\\""), info.documents(), info.skippedRecords(), String.join(",", info.kinds()), p,
                    (System.nanoTime() - t0) / 1e9));
            return 0;
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Add an embedding column to a JSON-lines or Parquet dataset and write it as Parquet.")
    static final class Embed implements Callable<Integer> {
        @Option(names = "--input", required = true, paramLabel = "PATH", description = "a .jsonl/.json or .parquet file or directory") String input;
        @Option(names = "--output", required = true, paramLabel = "DIR", description = "Parquet output directory") Path output;
        @Option(names = "--overwrite") boolean overwrite;
        @Option(names = "--text-column", defaultValue = "text", paramLabel = "C") String column;
        @Option(names = "--master", paramLabel = "URL") String master;
        @Option(names = "--model", defaultValue = "default", paramLabel = "M") String model;
        @Option(names = "--threads", defaultValue = "1", paramLabel = "T") int threads;
        @Option(names = "--batch", defaultValue = "32", paramLabel = "N") int batch;

        @Override
        public Integer call() {
            requireLocalOrSubmitted(master);
            if (Files.exists(output) && !overwrite) throw new LacunaException(output + " already exists (use --overwrite to replace it)");
            SparkSession spark = session(master, "lacuna embed");
            Dataset<Row> in = input.endsWith(".parquet") || Files.isDirectory(Path.of(input)) ? spark.read().parquet(input) : spark.read().json(input);
            long t0 = System.nanoTime();
            Dataset<Row> out = LacunaSpark.embed(in, column, new LacunaSpark.EmbedOptions(model, threads, batch));
            long rows;
            // written under a temporary sibling, renamed into place only when the job succeeded
            try (AtomicDirectory ad = AtomicDirectory.create(output, overwrite)) {
                out.write().mode(SaveMode.Overwrite).parquet(ad.dir().toString());
                rows = spark.read().parquet(ad.dir().toString()).count();
                ad.commit();
            }
            System.out.println(String.format(Locale.ROOT, "{\"output\":\"%s\",\"rows\":%d,\"seconds\":%.1f}",
                    output.toString().replace("\\", "\\\\").replace("\"", "\\\""), rows, (System.nanoTime() - t0) / 1e9));
            return 0;
        }
    }
}
