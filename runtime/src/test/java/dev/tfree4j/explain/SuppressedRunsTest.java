package dev.tfree4j.explain;

import dev.tfree4j.internal.ModelInternals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tfree4j.ControlMode;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.Session;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.testing.Fixtures;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Part C item 10: the suppressed passes give the same values, bit for bit, whatever the batch
 * size and whatever order the units run in (batched passes share native calls, so this checks
 * that an item's rows do not depend on the other items of its batch).
 */
class SuppressedRunsTest {
    @Test
    void valuesDoNotDependOnBatchSizeOrOrder() {
        var dir = Fixtures.refA();
        try (TFreeModel model = TFreeModel.open(dir.resolve("checkpoint"),
                ModelOptions.DEFAULT.withDictionary(dir.resolve("dictionary/top_words_counter.pckl")).withThreads(2))) {
            String prompt = "def add(a, b):\n    return a + b  # sum\n\nprint(add(1, 2))";
            ExplainRequest request = ExplainRequest.builder(prompt).target(" and more words").build();
            ExplainSequence seq = ExplainSequence.of(model.tokenizer(), request, model.config().sequenceLength());
            NativeModel nm = ModelInternals.loaded(model).nativeModel();
            int n = seq.length(), hidden = nm.shape().hiddenSize(), vocab = nm.shape().vocabSize();
            try (Arena arena = Arena.ofConfined(); Session base = model.newSession(n);
                 TargetScorer scorer = new TargetScorer(ModelInternals.loaded(model), ModelInternals.context(model), prompt, seq.targetWords(),
                         TargetScore.DICT_LOGPROB, 1f)) {
                MemorySegment emb = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * hidden);
                ModelInternals.loaded(model).embed(seq.input(), emb);
                MemorySegment logits = base.forwardEmbedded(emb, seq.input().words(), 0);
                double[] baseline = new double[seq.targetCount()];
                for (int t = 0; t < baseline.length; t++) baseline[t] = scorer.value(Explainer.row(logits, seq.row(t), vocab), t);
                // One job per position (and one of two positions), alternating modes of suppression strength.
                List<SuppressedRuns.Job> jobs = new ArrayList<>();
                for (int i = 0; i < n; i++) jobs.add(new SuppressedRuns.Job(ConceptualSuppression.plainFactors(n, new int[] {i}, 0.1f)));
                jobs.add(new SuppressedRuns.Job(ConceptualSuppression.plainFactors(n, new int[] {2, n - 1}, 0f)));
                for (ControlMode mode : List.of(ControlMode.LOG_ADD, ControlMode.MULT)) {
                    double[][] one = new SuppressedRuns(model, base, emb, seq, scorer, baseline, mode, null, 1).run(jobs);
                    SuppressedRuns eight = new SuppressedRuns(model, base, emb, seq, scorer, baseline, mode, null, 8);
                    double[][] batched = eight.run(jobs);
                    assertEquals((jobs.size() + 7) / 8, eight.batches());
                    List<Integer> order = new ArrayList<>();
                    for (int j = 0; j < jobs.size(); j++) order.add(j);
                    Collections.shuffle(order, new Random(5));
                    List<SuppressedRuns.Job> shuffled = order.stream().map(jobs::get).toList();
                    double[][] mixed = new SuppressedRuns(model, base, emb, seq, scorer, baseline, mode, null, 3).run(shuffled);
                    for (int j = 0; j < jobs.size(); j++) {
                        assertArrayEquals(one[j], batched[j], 0.0, "batch 8, job " + j);
                        assertArrayEquals(one[order.get(j)], mixed[j], 0.0, "shuffled, batch 3, job " + order.get(j));
                    }
                }
            }
        }
    }
}
