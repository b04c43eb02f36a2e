package dev.tfree4j.spark;

import dev.tfree4j.GenerateOptions;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The spark-submit job: reads prompts (JSON lines or Parquet), runs generate, explain or score on
 * every row, writes the rows with their results (Parquet or JSON lines).
 * <pre>
 * spark-submit --class dev.tfree4j.spark.TFreeSparkJob --master yarn \
 *   --conf spark.executor.extraJavaOptions="--enable-native-access=ALL-UNNAMED" \
 *   tfree4j-spark.jar --model /shared/models/tfree-kjv-small --input prompts.jsonl --output out/
 * </pre>
 */
@Command(name = "tfree4j-spark", mixinStandardHelpOptions = true,
        description = "Batch generate / explain / score over JSONL or Parquet prompts on Spark.")
public final class TFreeSparkJob implements Callable<Integer> {
    enum Task { generate, explain, score }

    enum Format { jsonl, parquet }

    @Option(names = "--task", description = "generate (default), explain (the generation of each prompt) or score (eval of each text)")
    Task task = Task.generate;

    @Option(names = "--model", required = true, description = "the model directory")
    Path model;

    @Option(names = "--distribute", description = "ship the model directory to the executors (SparkFiles) instead of"
            + " reading --model at the same path on every executor")
    boolean distribute;

    @Option(names = "--input", required = true, description = "prompts: a .jsonl/.json file or folder, or Parquet (.parquet)")
    String input;

    @Option(names = "--input-format", description = "jsonl or parquet (default: from --input's extension)")
    Format inputFormat;

    @Option(names = "--output", required = true, description = "the output folder (replaced)")
    String output;

    @Option(names = "--output-format", description = "parquet (default) or jsonl")
    Format outputFormat = Format.parquet;

    @Option(names = "--prompt-column", description = "the column with the prompt (score: the text); default prompt")
    String promptColumn = "prompt";

    @Option(names = "--key-column", description = "the row's key; required with --temperature > 0 (it seeds the row)")
    String keyColumn;

    @Option(names = "--max-words", description = "words to generate per row (default 16)")
    int maxWords = 16;

    @Option(names = "--log-probs", description = "top-k log-probabilities per word")
    Integer logProbs;

    @Option(names = "--temperature", description = "0 = greedy (default)")
    float temperature;

    @Option(names = "--seed", description = "the job's sampling seed; each row's is derived from it and the row's key")
    long seed;

    @Option(names = "--partitions", description = "repartition the input into this many partitions (default: as read)")
    Integer partitions;

    @Option(names = "--batch-size", description = "rows handed to the model together (default 32)")
    int batchSize = 32;

    @Option(names = "--threads", description = "native threads per executor model (default 1: one task per core)")
    int threads = 1;

    @Option(names = "--master", description = "the Spark master when spark-submit does not give one (e.g. local[2])")
    String master;

    public static void main(String[] args) {
        System.exit(new CommandLine(new TFreeSparkJob()).execute(args));
    }

    @Override
    public Integer call() {
        SparkSession.Builder builder = SparkSession.builder().appName("tfree4j-" + task);
        if (master != null) builder.master(master);
        SparkSession spark = builder.getOrCreate();
        try {
            run(spark);
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** The job on an existing session (tests run it in local mode). */
    void run(SparkSession spark) {
        ModelSource source = distribute ? ModelSource.distribute(spark, model) : ModelSource.path(model.toAbsolutePath().toString());
        TFreeSpark tf = TFreeSpark.on(source).withThreads(threads).withBatchSize(batchSize);
        Dataset<Row> rows = read(spark);
        if (partitions != null) rows = rows.repartition(partitions);
        GenerateOptions options = GenerateOptions.builder().maxWords(maxWords).logProbs(logProbs)
                .temperature(temperature).seed(seed).build();
        Dataset<Row> out = switch (task) {
            case generate -> tf.generate(rows, promptColumn, keyColumn, options);
            case explain -> tf.explain(tf.generate(rows, promptColumn, keyColumn, options)
                    .withColumnRenamed("words", "target_words").drop("completion", "log_probs", "stop_reason",
                            "prompt_words", "generated_words", "prefill_ms", "decode_ms"), promptColumn, "target_words", null);
            case score -> tf.score(rows, promptColumn);
        };
        write(out);
    }

    private Dataset<Row> read(SparkSession spark) {
        Format format = inputFormat != null ? inputFormat
                : input.toLowerCase(Locale.ROOT).endsWith(".parquet") ? Format.parquet : Format.jsonl;
        return format == Format.parquet ? spark.read().parquet(input) : spark.read().json(input);
    }

    private void write(Dataset<Row> out) {
        var writer = out.write().mode(SaveMode.Overwrite);
        if (outputFormat == Format.parquet) writer.parquet(output);
        else writer.json(output);
    }
}
