package dev.tfree4j.spark;

import dev.tfree4j.GenerationResult;
import dev.tfree4j.divergence.PromptDivergence;
import dev.tfree4j.eval.Evaluator;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explanation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The columns each operation appends to its input rows, and the conversion of one runtime result
 * into their values. Names are snake_case, as the CLI's {@code --json} output.
 */
final class ResultColumns {
    private ResultColumns() {}

    static final StructType LOG_PROB = new StructType()
            .add("word", DataTypes.StringType, false)
            .add("log_prob", DataTypes.FloatType, false);

    /** generate: every column but the {@code *_ms} timings is a function of the row (and the options). */
    static final List<StructField> GENERATE = List.of(
            field("completion", DataTypes.StringType, false),
            field("words", DataTypes.createArrayType(DataTypes.StringType, false), false),
            field("log_probs", DataTypes.createArrayType(DataTypes.createArrayType(LOG_PROB, false), false), true),
            field("stop_reason", DataTypes.StringType, false),
            field("prompt_words", DataTypes.IntegerType, false),
            field("generated_words", DataTypes.IntegerType, false),
            field("prefill_ms", DataTypes.DoubleType, false),
            field("decode_ms", DataTypes.DoubleType, false));

    static final StructType EXPLAIN_ITEM = new StructType()
            .add("source", DataTypes.StringType, false)
            .add("start", DataTypes.IntegerType, false)
            .add("length", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("baseline_log_prob", DataTypes.DoubleType, false)
            .add("perturbed_log_prob", DataTypes.DoubleType, false);

    static final StructType EXPLANATION = new StructType()
            .add("target", DataTypes.StringType, false)
            .add("target_start", DataTypes.IntegerType, false)
            .add("target_length", DataTypes.IntegerType, false)
            .add("items", DataTypes.createArrayType(EXPLAIN_ITEM, false), false);

    static final List<StructField> EXPLAIN = List.of(
            field("explanations", DataTypes.createArrayType(EXPLANATION, false), false),
            field("explain_ms", DataTypes.DoubleType, false));

    static final List<StructField> SCORE = List.of(
            field("mean_bce", DataTypes.DoubleType, false),
            field("word_accuracy", DataTypes.DoubleType, false),
            field("positions", DataTypes.LongType, false));

    static final List<StructField> DIVERGENCE = List.of(
            field("reference_words", DataTypes.IntegerType, false),
            field("fdt", DataTypes.IntegerType, false),
            field("sdt", DataTypes.IntegerType, false),
            field("divergent_steps", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            field("near_tie_steps", DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            field("log_prob_sum", DataTypes.DoubleType, false),
            field("bce_sum", DataTypes.DoubleType, false));

    /** The input's schema with {@code added} appended; a name already in the input is refused. */
    static StructType append(StructType input, List<StructField> added) {
        StructType out = input;
        for (StructField f : added) {
            if (List.of(input.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("the input already has a column named '" + f.name()
                        + "', which this operation writes; rename or drop it first");
            }
            out = out.add(f);
        }
        return out;
    }

    static Object[] generate(GenerationResult r) {
        List<Seq<Row>> logProbs = null;
        if (r.logProbs() != null) {
            logProbs = new ArrayList<>(r.logProbs().size());
            for (List<Map.Entry<String, Float>> step : r.logProbs()) {
                List<Row> pairs = new ArrayList<>();
                if (step != null) for (Map.Entry<String, Float> e : step) pairs.add(RowFactory.create(e.getKey(), e.getValue()));
                logProbs.add(seq(pairs));
            }
        }
        GenerationResult.Timings t = r.timings();
        return new Object[] {r.completion(), seq(r.tokens()), logProbs == null ? null : seq(logProbs), r.stopReason().name().toLowerCase(), t.promptWords(),
                t.generatedWords(), t.prefillNanos() / 1e6, t.decodeNanos() / 1e6};
    }

    static Object[] explain(ExplainResult r) {
        List<Row> explanations = new ArrayList<>(r.explanations().size());
        for (Explanation e : r.explanations()) {
            List<Row> items = new ArrayList<>(e.items().size());
            for (ExplainItem i : e.items()) {
                items.add(RowFactory.create(i.source().name().toLowerCase(), i.start(), i.length(), i.text(), i.score(),
                        i.baselineLogProb(), i.perturbedLogProb()));
            }
            explanations.add(RowFactory.create(e.target(), e.targetStart(), e.targetLength(), seq(items)));
        }
        return new Object[] {seq(explanations), r.stats().totalNanos() / 1e6};
    }

    static Object[] score(Evaluator.Result r) {
        return new Object[] {r.meanBce(), r.wordAccuracy(), r.positions()};
    }

    static Object[] divergence(PromptDivergence d) {
        return new Object[] {d.length(), d.fdt(), d.sdt(), seq(d.divergent()), seq(d.nearTie()), d.logProbSum(), d.bceSum()};
    }

    /** An array column's value: Spark's row encoder takes Scala sequences (not java.util.List). */
    static <T> Seq<T> seq(List<T> values) {
        return CollectionConverters.asScala(values).toList();
    }

    /** The input row's values followed by {@code added}. */
    static Row concat(Row input, Object[] added) {
        Object[] values = new Object[input.length() + added.length];
        for (int i = 0; i < input.length(); i++) values[i] = input.get(i);
        System.arraycopy(added, 0, values, input.length(), added.length);
        return RowFactory.create(values);
    }

    static boolean isStringArray(org.apache.spark.sql.types.DataType type) {
        return type instanceof ArrayType a && a.elementType().equals(DataTypes.StringType);
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }
}
