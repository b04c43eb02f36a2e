package dev.tfree4j.spark;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.divergence.BaseRun;
import dev.tfree4j.divergence.DivergenceEval;
import dev.tfree4j.eval.Evaluator;
import dev.tfree4j.explain.ExplainRequest;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * tfree4j over Spark Datasets: each operation maps every partition through the executor's one
 * model ({@link ExecutorModels}) and returns the input rows with the results appended as columns.
 * <pre>{@code
 * TFreeSpark tf = TFreeSpark.on(ModelSource.path("/shared/models/tfree-kjv-small"));
 * Dataset<Row> out = tf.generate(prompts, "prompt", GenerateOptions.builder().maxWords(20).build());
 * }</pre>
 * Deterministic: greedy decoding depends on the row only; sampling ({@code temperature > 0})
 * needs a key column and seeds each row from its key ({@link GenerateSpec#rowSeed}), so a task
 * Spark retries, or a job run with other partitions, writes the same rows. Only the timing
 * columns ({@code *_ms}) are measurements.
 *
 * @param model where executors find the model
 * @param threads native threads per executor model; 1 (the default) because Spark already runs one
 *     task per core and the executor's tasks share the model, so each task's forward runs on its
 *     own core without waiting for a shared thread pool
 * @param batchSize rows handed to the model together ({@code generateRows}); today they run one
 *     after the other, and a batched forward will take the whole batch at once
 */
public record TFreeSpark(ModelSource model, int threads, int batchSize) implements Serializable {
    public TFreeSpark {
        if (model == null) throw new IllegalArgumentException("model source is null");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0 = physical cores), got " + threads);
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }

    public static TFreeSpark on(ModelSource model) {
        return new TFreeSpark(model, 1, 32);
    }

    public TFreeSpark withThreads(int n) {
        return new TFreeSpark(model, n, batchSize);
    }

    public TFreeSpark withBatchSize(int n) {
        return new TFreeSpark(model, threads, n);
    }

    /** Greedy generation (or sampling without a key: refused, see {@link #generate(Dataset, String, String, GenerateOptions)}). */
    public Dataset<Row> generate(Dataset<Row> input, String promptColumn, GenerateOptions options) {
        return generate(input, promptColumn, null, options);
    }

    /**
     * Continues every row's prompt. Appends {@code completion}, {@code words}, {@code log_probs}
     * (null unless {@code options.logProbs}), {@code stop_reason}, {@code prompt_words},
     * {@code generated_words}, {@code prefill_ms}, {@code decode_ms}.
     *
     * @param keyColumn a column that identifies the row (any type; its string form seeds the
     *     row's sampling); required when {@code options.temperature() > 0}, may be null otherwise
     */
    public Dataset<Row> generate(Dataset<Row> input, String promptColumn, String keyColumn, GenerateOptions options) {
        GenerateSpec spec = GenerateSpec.of(options);
        int prompt = stringColumn(input, promptColumn);
        int key = -1;
        if (keyColumn != null) key = column(input, keyColumn);
        else if (spec.sampling()) {
            throw new IllegalArgumentException("sampling (temperature > 0) on Spark needs a key column: each row's seed is derived"
                    + " from its key, so a retried task draws the same words; pass keyColumn, or use temperature 0 (greedy)");
        }
        return run(input, ResultColumns.GENERATE, new GenerateRows(this, prompt, key, spec, -1));
    }

    /**
     * Explains every row's target (the continuation of its prompt) with AtMan. The target column
     * is either text or an array of words (e.g. {@code words} from {@link #generate}); appends
     * {@code explanations} (one per target unit, each with its {@code items}; empty for an empty
     * target) and {@code explain_ms}.
     *
     * @param settings adjusts every row's request (factor, granularities, ...); null = the defaults
     */
    public Dataset<Row> explain(Dataset<Row> input, String promptColumn, String targetColumn, ExplainSettings settings) {
        int prompt = stringColumn(input, promptColumn);
        int target = column(input, targetColumn);
        boolean words = ResultColumns.isStringArray(input.schema().fields()[target].dataType());
        if (!words && !input.schema().fields()[target].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("explain: column '" + targetColumn + "' must be a string or an array of strings, got "
                    + input.schema().fields()[target].dataType().simpleString());
        }
        return run(input, ResultColumns.EXPLAIN, new ExplainRows(this, prompt, target, words,
                settings == null ? b -> b : settings));
    }

    /** Adjusts an {@link ExplainRequest.Builder}; serializable, so a lambda can travel to the executors. */
    @FunctionalInterface
    public interface ExplainSettings extends Serializable {
        ExplainRequest.Builder apply(ExplainRequest.Builder request);
    }

    /**
     * Teacher-forced quality of every row's text ({@link Evaluator}, as {@code tfree4j eval}):
     * appends {@code mean_bce}, {@code word_accuracy}, {@code positions}.
     */
    public Dataset<Row> score(Dataset<Row> input, String textColumn) {
        return run(input, ResultColumns.SCORE, new ScoreRows(this, stringColumn(input, textColumn)));
    }

    /**
     * Divergent Token Metrics per row: this model is the base (its greedy continuation of
     * {@code words} words is the reference), {@code candidate} is compared on it. Appends
     * {@code reference_words}, {@code fdt}, {@code sdt}, {@code divergent_steps},
     * {@code near_tie_steps}, {@code log_prob_sum}, {@code bce_sum}.
     */
    public Dataset<Row> divergence(Dataset<Row> input, String promptColumn, ModelSource candidate, int words) {
        if (candidate == null) throw new IllegalArgumentException("divergence: the candidate model source is null");
        if (words < 1) throw new IllegalArgumentException("divergence: words must be >= 1, got " + words);
        return run(input, ResultColumns.DIVERGENCE, new DivergenceRows(this, stringColumn(input, promptColumn), candidate, words));
    }

    /** The same generation with a task that fails once (tests of Spark's retry only). */
    Dataset<Row> generateFailingOnce(Dataset<Row> input, String promptColumn, String keyColumn, GenerateOptions options,
                                     int failingPartition) {
        int key = keyColumn == null ? -1 : column(input, keyColumn);
        return run(input, ResultColumns.GENERATE,
                new GenerateRows(this, stringColumn(input, promptColumn), key, GenerateSpec.of(options), failingPartition));
    }

    private static Dataset<Row> run(Dataset<Row> input, List<StructField> added, RowBatches batches) {
        StructType schema = ResultColumns.append(input.schema(), added);
        return input.mapPartitions(batches, Encoders.row(schema));
    }

    private static int column(Dataset<Row> input, String name) {
        if (name == null) throw new IllegalArgumentException("a column name is null");
        List<String> names = List.of(input.schema().fieldNames());
        int i = names.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("the input has no column '" + name + "' (it has " + names + ")");
        return i;
    }

    private static int stringColumn(Dataset<Row> input, String name) {
        int i = column(input, name);
        if (!input.schema().fields()[i].dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("column '" + name + "' must be a string, got "
                    + input.schema().fields()[i].dataType().simpleString());
        }
        return i;
    }

    /**
     * The one place a partition's prompts meet the model. Today it generates row by row with the
     * single-row API; when the runtime's batched generator lands, this method switches to it
     * (the rows of a batch are independent, and each keeps its own options and seed).
     */
    private static List<GenerationResult> generateRows(TFreeModel model, List<String> prompts, List<GenerateOptions> options) {
        List<GenerationResult> results = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) results.add(model.generate(prompts.get(i), options.get(i)));
        return results;
    }

    /**
     * A partition's rows, pulled {@code batchSize} at a time through {@link #process} (so a large
     * partition is never held in memory at once); the output rows keep the input's order.
     */
    private abstract static class RowBatches implements MapPartitionsFunction<Row, Row> {
        final TFreeSpark settings;

        RowBatches(TFreeSpark settings) {
            this.settings = settings;
        }

        /** The added column values of every row in {@code batch}. */
        abstract List<Object[]> process(TFreeModel model, List<Row> batch, int partition);

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            TaskContext task = TaskContext.get();
            int partition = task == null ? -1 : task.partitionId();
            return new Iterator<>() {
                private Iterator<Row> ready = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!ready.hasNext() && rows.hasNext()) {
                        List<Row> batch = new ArrayList<>(settings.batchSize());
                        while (batch.size() < settings.batchSize() && rows.hasNext()) batch.add(rows.next());
                        TFreeModel model = ExecutorModels.get(settings.model(), settings.threads());
                        List<Object[]> added = process(model, batch, partition);
                        List<Row> out = new ArrayList<>(batch.size());
                        for (int i = 0; i < batch.size(); i++) out.add(ResultColumns.concat(batch.get(i), added.get(i)));
                        ready = out.iterator();
                    }
                    return ready.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    return ready.next();
                }
            };
        }

        static String text(Row row, int column, String what) {
            if (row.isNullAt(column)) {
                throw new IllegalArgumentException(what + ": column '" + row.schema().fieldNames()[column] + "' is null in row " + row);
            }
            return row.getString(column);
        }
    }

    private static final class GenerateRows extends RowBatches {
        private final int prompt;
        private final int key;
        private final GenerateSpec spec;
        private final int failingPartition;
        private boolean failed;

        GenerateRows(TFreeSpark settings, int prompt, int key, GenerateSpec spec, int failingPartition) {
            super(settings);
            this.prompt = prompt;
            this.key = key;
            this.spec = spec;
            this.failingPartition = failingPartition;
        }

        @Override
        List<Object[]> process(TFreeModel model, List<Row> batch, int partition) {
            List<String> prompts = new ArrayList<>(batch.size());
            List<GenerateOptions> options = new ArrayList<>(batch.size());
            for (Row row : batch) {
                prompts.add(text(row, prompt, "generate"));
                options.add(spec.forRow(key < 0 ? null : row.get(key)));
            }
            List<GenerationResult> results = generateRows(model, prompts, options);
            // Fault injection for the retry test: the first attempt of one task fails after its
            // first batch was computed (so that attempt had already produced rows).
            if (partition == failingPartition && !failed && TaskContext.get().attemptNumber() == 0) {
                failed = true;
                throw new IllegalStateException("injected failure: partition " + partition + ", attempt 0");
            }
            List<Object[]> added = new ArrayList<>(results.size());
            for (GenerationResult r : results) added.add(ResultColumns.generate(r));
            return added;
        }
    }

    private static final class ExplainRows extends RowBatches {
        private final int prompt;
        private final int target;
        private final boolean targetIsWords;
        private final ExplainSettings adjust;

        ExplainRows(TFreeSpark settings, int prompt, int target, boolean targetIsWords, ExplainSettings adjust) {
            super(settings);
            this.prompt = prompt;
            this.target = target;
            this.targetIsWords = targetIsWords;
            this.adjust = adjust;
        }

        @Override
        List<Object[]> process(TFreeModel model, List<Row> batch, int partition) {
            List<Object[]> added = new ArrayList<>(batch.size());
            for (Row row : batch) {
                ExplainRequest.Builder b = ExplainRequest.builder(text(row, prompt, "explain"));
                if (row.isNullAt(target)) throw new IllegalArgumentException("explain: the target is null in row " + row);
                boolean empty = targetIsWords ? row.getList(target).isEmpty() : row.getString(target).isEmpty();
                if (empty) {
                    // A generation that ended at once (end-of-text) leaves nothing to explain.
                    added.add(new Object[] {ResultColumns.seq(List.of()), 0.0});
                    continue;
                }
                if (targetIsWords) b.targetWords(row.getList(target));
                else b.target(row.getString(target));
                added.add(ResultColumns.explain(model.explain(adjust.apply(b).build())));
            }
            return added;
        }
    }

    private static final class ScoreRows extends RowBatches {
        private final int text;

        ScoreRows(TFreeSpark settings, int text) {
            super(settings);
            this.text = text;
        }

        @Override
        List<Object[]> process(TFreeModel model, List<Row> batch, int partition) {
            List<Object[]> added = new ArrayList<>(batch.size());
            for (Row row : batch) added.add(ResultColumns.score(Evaluator.evaluate(model, text(row, text, "score"))));
            return added;
        }
    }

    private static final class DivergenceRows extends RowBatches {
        private final int prompt;
        private final ModelSource candidate;
        private final int words;

        DivergenceRows(TFreeSpark settings, int prompt, ModelSource candidate, int words) {
            super(settings);
            this.prompt = prompt;
            this.candidate = candidate;
            this.words = words;
        }

        @Override
        List<Object[]> process(TFreeModel base, List<Row> batch, int partition) {
            TFreeModel other = ExecutorModels.get(candidate, settings.threads());
            List<String> prompts = new ArrayList<>(batch.size());
            for (Row row : batch) prompts.add(text(row, prompt, "divergence"));
            BaseRun reference = DivergenceEval.baseline(base, prompts, words, null);
            List<Object[]> added = new ArrayList<>(batch.size());
            for (var d : DivergenceEval.evaluate(other, reference).prompts()) added.add(ResultColumns.divergence(d));
            return added;
        }
    }
}
