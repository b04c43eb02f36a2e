package dev.tfree4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The spark-submit job, run in local[2] on its own files: JSON lines in and out, Parquet in and out. */
class TFreeSparkJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkTestSupport.session("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static void runJob(String... args) {
        TFreeSparkJob job = new TFreeSparkJob();
        new CommandLine(job).parseArgs(args);
        job.run(spark);
    }

    @Test
    void jsonLinesInJsonLinesOut(@TempDir Path dir) throws Exception {
        List<String> prompts = SparkTestSupport.prompts(25);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            lines.add(json.writeValueAsString(java.util.Map.of("id", i, "prompt", prompts.get(i))));
        }
        Path input = Files.write(dir.resolve("prompts.jsonl"), lines);
        Path output = dir.resolve("out");
        runJob("--model", SparkTestSupport.modelDir().toString(), "--input", input.toString(), "--output", output.toString(),
                "--output-format", "jsonl", "--max-words", "4", "--partitions", "3");

        TreeMap<Integer, JsonNode> byId = new TreeMap<>();
        try (Stream<Path> parts = Files.list(output)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    JsonNode row = json.readTree(line);
                    byId.put(row.get("id").asInt(), row);
                }
            }
        }
        assertEquals(prompts.size(), byId.size());
        try (TFreeModel model = TFreeModel.open(SparkTestSupport.modelDir(), ModelOptions.DEFAULT.withThreads(1))) {
            for (int i = 0; i < prompts.size(); i++) {
                var want = model.generate(prompts.get(i), GenerateOptions.builder().maxWords(4).build());
                JsonNode row = byId.get(i);
                assertEquals(prompts.get(i), row.get("prompt").asText());
                assertEquals(want.completion(), row.get("completion").asText(), "row " + i);
                assertEquals(want.tokens().size(), row.get("words").size(), "row " + i);
                assertTrue(row.get("decode_ms").asDouble() >= 0);
            }
        }
    }

    @Test
    void parquetInParquetOutScoresEveryText(@TempDir Path dir) throws Exception {
        List<String> texts = SparkTestSupport.prompts(12);
        Path input = dir.resolve("texts.parquet");
        SparkTestSupport.promptRows(spark, texts, 2).withColumnRenamed("prompt", "text").write().parquet(input.toString());
        Path output = dir.resolve("scored");
        runJob("--task", "score", "--model", SparkTestSupport.modelDir().toString(), "--input", input.toString(),
                "--output", output.toString(), "--prompt-column", "text", "--distribute");
        List<Row> rows = spark.read().parquet(output.toString()).orderBy("id").collectAsList();
        assertEquals(texts.size(), rows.size());
        try (TFreeModel model = TFreeModel.open(SparkTestSupport.modelDir(), ModelOptions.DEFAULT.withThreads(1))) {
            for (int i = 0; i < texts.size(); i++) {
                Row r = rows.get(i);
                assertEquals(dev.tfree4j.eval.Evaluator.evaluate(model, texts.get(i)).meanBce(), r.getDouble(r.fieldIndex("mean_bce")));
            }
        }
    }
}
