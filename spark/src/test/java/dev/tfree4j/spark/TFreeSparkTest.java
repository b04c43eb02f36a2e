package dev.tfree4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.eval.Evaluator;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explanation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark in local[2]: every row's result equals what the single-JVM API gives for that row.
 * The reference model is opened separately (its own TFreeModel, same threads), so the check
 * covers the executor-side model cache, the columns and the row order within partitions.
 */
class TFreeSparkTest {
    private static final int ROWS = 1000;
    private static final GenerateOptions OPTIONS = GenerateOptions.builder().maxWords(4).logProbs(2).build();

    private static SparkSession spark;
    private static TFreeModel reference;
    private static List<String> prompts;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkTestSupport.session("local[2]");
        reference = TFreeModel.open(SparkTestSupport.modelDir(), ModelOptions.DEFAULT.withThreads(1));
        prompts = SparkTestSupport.prompts(ROWS);
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
        if (reference != null) reference.close();
    }

    private static TFreeSpark onBundledModel() {
        return TFreeSpark.on(ModelSource.path(SparkTestSupport.modelDir().toString())).withBatchSize(16);
    }

    @Test
    void generateAndExplainThousandPromptsEqualTheSingleJvmApi() {
        TFreeSpark tf = onBundledModel();
        Dataset<Row> generated = tf.generate(SparkTestSupport.promptRows(spark, prompts, 4), "prompt", OPTIONS).cache();
        // explain each row's own continuation, as the README's Java example does
        Dataset<Row> explained = tf.explain(generated.select("id", "prompt", "words"), "prompt", "words", null);

        List<Row> gen = generated.orderBy("id").collectAsList();
        assertEquals(ROWS, gen.size());
        int opened = ExecutorModels.openedCount();
        List<Row> exp = explained.orderBy("id").collectAsList();
        assertEquals(opened, ExecutorModels.openedCount(), "the executor's model is opened once, not per task or per job");
        assertEquals(ROWS, exp.size());

        int explainedRows = 0;
        for (int i = 0; i < ROWS; i++) {
            Row g = gen.get(i);
            assertEquals(i, g.getLong(g.fieldIndex("id")));
            GenerationResult want = reference.generate(prompts.get(i), OPTIONS);
            String where = "row " + i + " '" + prompts.get(i) + "'";
            assertEquals(want.completion(), g.getString(g.fieldIndex("completion")), where);
            assertEquals(want.tokens(), g.getList(g.fieldIndex("words")), where);
            assertEquals(want.stopReason().name().toLowerCase(), g.getString(g.fieldIndex("stop_reason")), where);
            assertEquals(want.timings().promptWords(), g.getInt(g.fieldIndex("prompt_words")), where);
            assertEquals(want.timings().generatedWords(), g.getInt(g.fieldIndex("generated_words")), where);
            List<scala.collection.Seq<Row>> logProbs = g.getList(g.fieldIndex("log_probs"));
            assertEquals(want.logProbs().size(), logProbs.size(), where);
            for (int s = 0; s < logProbs.size(); s++) {
                List<Map.Entry<String, Float>> wantStep = want.logProbs().get(s);
                List<Row> step = scala.jdk.javaapi.CollectionConverters.asJava(logProbs.get(s));
                assertEquals(wantStep.size(), step.size(), where);
                for (int k = 0; k < step.size(); k++) {
                    assertEquals(wantStep.get(k).getKey(), step.get(k).getString(0), where);
                    assertEquals(wantStep.get(k).getValue(), step.get(k).getFloat(1), where);
                }
            }

            Row e = exp.get(i);
            List<Row> explanations = e.getList(e.fieldIndex("explanations"));
            if (want.tokens().isEmpty()) {
                assertTrue(explanations.isEmpty(), where + ": nothing generated, nothing to explain");
                continue;
            }
            explainedRows++;
            ExplainResult wantExplained = reference.explain(ExplainRequest.builder(prompts.get(i)).targetWords(want.tokens()).build());
            assertEquals(wantExplained.explanations().size(), explanations.size(), where);
            for (int x = 0; x < explanations.size(); x++) {
                Explanation we = wantExplained.explanations().get(x);
                Row ge = explanations.get(x);
                assertEquals(we.target(), ge.getString(0), where);
                List<Row> items = ge.getList(3);
                assertEquals(we.items().size(), items.size(), where);
                for (int k = 0; k < items.size(); k++) {
                    ExplainItem wi = we.items().get(k);
                    Row gi = items.get(k);
                    assertEquals(wi.source().name().toLowerCase(), gi.getString(0), where);
                    assertEquals(wi.start(), gi.getInt(1), where);
                    assertEquals(wi.length(), gi.getInt(2), where);
                    assertEquals(wi.text(), gi.getString(3), where);
                    assertEquals(wi.score(), gi.getDouble(4), where);
                    assertEquals(wi.baselineLogProb(), gi.getDouble(5), where);
                    assertEquals(wi.perturbedLogProb(), gi.getDouble(6), where);
                }
            }
        }
        assertTrue(explainedRows > ROWS / 2, "most rows generate words to explain, got " + explainedRows);
        generated.unpersist();
    }

    @Test
    void scoreEqualsEvaluatorPerRow() {
        List<String> texts = prompts.subList(0, 40);
        List<Row> rows = onBundledModel().score(SparkTestSupport.promptRows(spark, texts, 2), "prompt").orderBy("id").collectAsList();
        for (int i = 0; i < texts.size(); i++) {
            Evaluator.Result want = Evaluator.evaluate(reference, texts.get(i));
            Row r = rows.get(i);
            assertEquals(want.meanBce(), r.getDouble(r.fieldIndex("mean_bce")), "row " + i);
            assertEquals(want.wordAccuracy(), r.getDouble(r.fieldIndex("word_accuracy")), "row " + i);
            assertEquals(want.positions(), r.getLong(r.fieldIndex("positions")), "row " + i);
        }
    }

    @Test
    void divergenceOfAModelFromItselfIsNone() {
        // The same model as base and candidate (here through Spark's file distribution): on its own
        // greedy output it never diverges, so FDT = n and SDT = 0 on every row.
        ModelSource shipped = ModelSource.distribute(spark, SparkTestSupport.modelDir());
        TFreeSpark tf = onBundledModel();
        List<Row> rows = tf.divergence(SparkTestSupport.promptRows(spark, prompts.subList(0, 30), 2), "prompt", shipped, 5)
                .collectAsList();
        assertEquals(30, rows.size());
        for (Row r : rows) {
            int n = r.getInt(r.fieldIndex("reference_words"));
            assertTrue(n >= 1 && n <= 5, "reference words " + n);
            assertEquals(n, r.getInt(r.fieldIndex("fdt")));
            assertEquals(0, r.getInt(r.fieldIndex("sdt")));
            assertTrue(r.getList(r.fieldIndex("divergent_steps")).isEmpty());
        }
    }

    @Test
    void aDistributedModelGivesTheSameRows() {
        TFreeSpark shipped = TFreeSpark.on(ModelSource.distribute(spark, SparkTestSupport.modelDir()));
        List<Row> rows = shipped.generate(SparkTestSupport.promptRows(spark, prompts.subList(0, 20), 2), "prompt",
                GenerateOptions.builder().maxWords(3).build()).orderBy("id").collectAsList();
        for (int i = 0; i < 20; i++) {
            Row r = rows.get(i);
            assertEquals(reference.generate(prompts.get(i), GenerateOptions.builder().maxWords(3).build()).completion(),
                    r.getString(r.fieldIndex("completion")), "row " + i);
            assertNull(r.get(r.fieldIndex("log_probs")), "no log-probs asked for");
        }
    }

    @Test
    void badInputIsRefusedOnTheDriverWithTheReason() {
        TFreeSpark tf = onBundledModel();
        Dataset<Row> rows = SparkTestSupport.promptRows(spark, prompts.subList(0, 4), 1);
        var noColumn = assertThrows(IllegalArgumentException.class, () -> tf.generate(rows, "text", OPTIONS));
        assertTrue(noColumn.getMessage().contains("no column 'text'"), noColumn.getMessage());
        var notText = assertThrows(IllegalArgumentException.class, () -> tf.generate(rows, "id", OPTIONS));
        assertTrue(notText.getMessage().contains("must be a string"), notText.getMessage());
        var noKey = assertThrows(IllegalArgumentException.class,
                () -> tf.generate(rows, "prompt", GenerateOptions.builder().temperature(0.1f).build()));
        assertTrue(noKey.getMessage().contains("needs a key column"), noKey.getMessage());
        var timeout = assertThrows(IllegalArgumentException.class,
                () -> tf.generate(rows, "prompt", GenerateOptions.builder().timeout(Duration.ofSeconds(1)).build()));
        assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
        var clash = assertThrows(IllegalArgumentException.class,
                () -> tf.generate(rows.withColumn("completion", rows.col("prompt")), "prompt", OPTIONS));
        assertTrue(clash.getMessage().contains("already has a column named 'completion'"), clash.getMessage());
    }

    @Test
    void rowSeedIsSplitMix64OfSeedXorFnv1a() {
        // Published constants: FNV-1a-64("a") = 0xaf63dc4c8601ec8c, and SplitMix64's first output
        // from state 0 is mix64(0x9e3779b97f4a7c15) = 0xe220a8397b1dcdaf.
        long seed = 0x9e3779b97f4a7c15L ^ 0xaf63dc4c8601ec8cL;
        assertEquals(0xe220a8397b1dcdafL, GenerateSpec.rowSeed(seed, "a"));
        assertEquals(GenerateSpec.rowSeed(7, 42L), GenerateSpec.rowSeed(7, "42"), "a key's string form seeds the row");
    }
}
