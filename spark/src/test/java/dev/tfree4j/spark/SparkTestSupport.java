package dev.tfree4j.spark;

import dev.tfree4j.BundledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A local Spark session bound to loopback, and prompts cut from the bundled model's held-out text. */
final class SparkTestSupport {
    private SparkTestSupport() {}

    static final StructType PROMPTS = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("prompt", DataTypes.StringType, false);

    /**
     * {@code master} e.g. local[2], or local[2,2] (two tries per task). The driver binds to
     * 127.0.0.1 (no network needed, nothing exposed), the UI is off.
     */
    static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("tfree4j-spark-test")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    static Path modelDir() {
        return BundledModel.locate();
    }

    /** {@code n} prompts of 3 to 8 consecutive words from the held-out text, at spread-out offsets. */
    static List<String> prompts(int n) throws IOException {
        String[] words = Files.readString(modelDir().resolve("heldout.txt")).trim().split("\\s+");
        List<String> prompts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int length = 3 + i % 6;
            int start = (int) ((i * 7919L) % (words.length - length));
            prompts.add(String.join(" ", List.of(words).subList(start, start + length)));
        }
        return prompts;
    }

    static Dataset<Row> promptRows(SparkSession spark, List<String> prompts, int partitions) {
        List<Row> rows = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) rows.add(RowFactory.create((long) i, prompts.get(i)));
        return spark.createDataFrame(rows, PROMPTS).repartition(partitions);
    }
}
