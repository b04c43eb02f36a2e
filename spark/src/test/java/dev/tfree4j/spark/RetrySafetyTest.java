package dev.tfree4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.tfree4j.GenerateOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * local[2,2]: two cores, and a failed task is tried again once. One task of a sampled generation
 * fails on its first attempt after it has produced rows; the Parquet output must still hold every
 * row once, equal to the run without the failure and to a run with other partitions (the rows'
 * seeds come from their keys, not from where or when they ran).
 */
class RetrySafetyTest {
    private static final int ROWS = 200;
    // sampling, so that a retry drawing other random numbers would show
    private static final GenerateOptions SAMPLED = GenerateOptions.builder().maxWords(5).temperature(0.1f).seed(1234).build();

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[2,2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void aRetriedTaskWritesTheSameRowsOnce(@TempDir Path dir) throws Exception {
        List<String> prompts = SparkTestSupport.prompts(ROWS);
        TFreeSpark tf = TFreeSpark.on(ModelSource.path(SparkTestSupport.modelDir().toString())).withBatchSize(8);

        write(tf.generate(SparkTestSupport.promptRows(spark, prompts, 4), "prompt", "id", SAMPLED), dir.resolve("clean"));
        write(tf.generateFailingOnce(SparkTestSupport.promptRows(spark, prompts, 4), "prompt", "id", SAMPLED, 1), dir.resolve("retried"));
        write(tf.generate(SparkTestSupport.promptRows(spark, prompts, 7), "prompt", "id", SAMPLED), dir.resolve("repartitioned"));

        List<Row> clean = read(dir.resolve("clean"));
        List<Row> retried = read(dir.resolve("retried"));
        assertEquals(ROWS, retried.size(), "every row once");
        Set<Long> ids = retried.stream().map(r -> r.getLong(0)).collect(Collectors.toSet());
        assertEquals(ROWS, ids.size(), "no duplicates");
        assertEquals(clean, retried, "the retried job wrote the same rows as the clean one");
        assertEquals(clean, read(dir.resolve("repartitioned")), "other partitions, same rows");

        // The seeds do differ between rows: the same prompt under two keys samples two ways somewhere.
        List<String> same = java.util.Collections.nCopies(40, prompts.get(3));
        List<Row> twins = tf.generate(SparkTestSupport.promptRows(spark, same, 2), "prompt", "id", SAMPLED)
                .select("completion").distinct().collectAsList();
        assertNotEquals(1, twins.size(), "40 keys, one prompt: sampling per key is not one fixed draw");
    }

    private static void write(Dataset<Row> rows, Path out) {
        rows.write().mode(SaveMode.Overwrite).parquet(out.toString());
    }

    /** The deterministic columns, ordered by id (the *_ms timings are measurements). */
    private static List<Row> read(Path dir) {
        return spark.read().parquet(dir.toString())
                .select("id", "prompt", "completion", "words", "log_probs", "stop_reason", "prompt_words", "generated_words")
                .orderBy(functions.col("id")).collectAsList();
    }
}
