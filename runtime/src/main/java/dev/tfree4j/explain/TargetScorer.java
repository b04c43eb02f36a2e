package dev.tfree4j.explain;

import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.decode.Dictionary;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.WordScorer;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordPatterns;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The value a logits row gives target word t ({@link TargetScore}), in double. The candidate set
 * of {@link TargetScore#DICT_LOGPROB} is fixed once per explanation: the dictionary, the prompt's
 * words as generate adds them (not de-duplicated), then the target words not yet candidates. For
 * a target that greedy generation produced from this prompt, that is exactly generation's set.
 */
final class TargetScorer implements AutoCloseable {
    private final TargetScore kind;
    private final int vocab;
    private final int population;
    private final float edgeWeight;
    private final List<String> targets;
    private final Arena arena = Arena.ofConfined();
    private CandidateSet candidates;
    private Decoder decoder;
    private int[] candidateIndex;      // DICT_LOGPROB: per target word its first candidate index
    private float[] scoreBuffer;       // DICT_LOGPROB: the candidates' scores of the current row
    private WordScorer targetScorer;   // WORD_SCORE: the target words alone
    private MemorySegment targetScores;
    private int[][] idSets;            // BCE: per target word its distinct vocab ids

    TargetScorer(LoadedModel model, NativeContext context, String prompt, List<String> targets, TargetScore kind,
                 float edgeWeight) {
        this.kind = kind;
        this.vocab = model.config().vocabSize();
        Tokenizer tokenizer = model.tokenizer();
        this.population = tokenizer.config().vocabPopulation();
        this.edgeWeight = edgeWeight;
        this.targets = targets;
        try {
            switch (kind) {
                case DICT_LOGPROB -> {
                    Dictionary dictionary = model.dictionary("explaining with the dictionary log-prob score");
                    List<String> more = new ArrayList<>(WordSplitter.split(prompt));
                    Set<String> known = new HashSet<>(more);
                    for (String w : targets) {
                        if (!dictionary.contains(w) && known.add(w)) more.add(w);
                    }
                    candidates = new CandidateSet(context, tokenizer, dictionary, more);
                    decoder = new Decoder(context, candidates, vocab, population, edgeWeight);
                    candidateIndex = targets.stream().mapToInt(candidates::indexOf).toArray();
                    scoreBuffer = new float[candidates.size()];
                }
                case WORD_SCORE -> {
                    WordPatterns p = WordPatterns.build(targets, tokenizer);
                    targetScorer = new WordScorer(context, vocab, population, p.offsets(), p.ids(),
                            p.edgeOffsets(), p.edgeIds(), p.nTrigrams());
                    targetScores = arena.allocate(ValueLayout.JAVA_FLOAT, targets.size());
                }
                case BCE -> {
                    idSets = new int[targets.size()][];
                    for (int t = 0; t < targets.size(); t++) {
                        idSets[t] = java.util.Arrays.stream(tokenizer.vocabIds(targets.get(t))).distinct().toArray();
                    }
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The number of candidates of the dictionary softmax (0 for the other scores). */
    int candidateCount() {
        return candidates == null ? 0 : candidates.size();
    }

    /** The value of target word t for one logits row [vocab]. */
    double value(MemorySegment row, int t) {
        return switch (kind) {
            case DICT_LOGPROB -> dictLogProb(row, t);
            case WORD_SCORE -> {
                targetScorer.score(row, edgeWeight, targetScores);
                yield targetScores.getAtIndex(ValueLayout.JAVA_FLOAT, t);
            }
            case BCE -> logLikelihood(row, idSets[t]);
        };
    }

    /**
     * The values of targets t in [tFrom, out.length) into out[t], target t's logits row being
     * row {@code logitRow[t]} of {@code logits} [rows × vocab]. Runs of consecutive rows are
     * scored in one native call (the same bits as {@link #value} row by row).
     */
    void values(MemorySegment logits, int[] logitRow, int tFrom, double[] out) {
        if (kind == TargetScore.BCE) {
            for (int t = tFrom; t < out.length; t++) out[t] = value(row(logits, logitRow[t]), t);
            return;
        }
        for (int t0 = tFrom; t0 < out.length; ) {
            int t1 = t0 + 1;
            while (t1 < out.length && logitRow[t1] == logitRow[t1 - 1] + 1) t1++;
            int n = t1 - t0;
            MemorySegment rows = logits.asSlice((long) logitRow[t0] * vocab * Float.BYTES, (long) n * vocab * Float.BYTES);
            try (Arena call = Arena.ofConfined()) {
                if (kind == TargetScore.WORD_SCORE) {
                    MemorySegment scores = call.allocate(ValueLayout.JAVA_FLOAT, (long) n * targets.size());
                    targetScorer.score(rows, n, edgeWeight, scores);
                    for (int t = t0; t < t1; t++) {
                        out[t] = scores.getAtIndex(ValueLayout.JAVA_FLOAT, (long) (t - t0) * targets.size() + t);
                    }
                } else {
                    MemorySegment scores = call.allocate(ValueLayout.JAVA_FLOAT, (long) n * scoreBuffer.length);
                    decoder.scoreRows(rows, n, scores);
                    for (int t = t0; t < t1; t++) {
                        out[t] = dictLogProbOfScores(scores.asSlice((long) (t - t0) * scoreBuffer.length * Float.BYTES), t);
                    }
                }
            }
            t0 = t1;
        }
    }

    private MemorySegment row(MemorySegment logits, int r) {
        return logits.asSlice((long) r * vocab * Float.BYTES, (long) vocab * Float.BYTES);
    }

    /** score(w_t) − log Σ_c exp(score(c)), in double over the float scores. */
    private double dictLogProb(MemorySegment row, int t) {
        return dictLogProbOfScores(decoder.scores(row), t);
    }

    /** As {@link #dictLogProb} from the candidates' scores of the row. */
    private double dictLogProbOfScores(MemorySegment scores, int t) {
        // One bulk copy, then plain array loops: several times faster than per-element segment reads.
        MemorySegment.copy(scores, ValueLayout.JAVA_FLOAT, 0, scoreBuffer, 0, scoreBuffer.length);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : scoreBuffer) max = Math.max(max, v);
        double sum = 0;
        for (float v : scoreBuffer) sum += Math.exp(v - max);
        return scoreBuffer[candidateIndex[t]] - max - Math.log(sum);
    }

    /** Σ_v [y_v ln σ(ℓ_v) + (1 − y_v) ln(1 − σ(ℓ_v))] with y the multi-hot of {@code ids}. */
    private double logLikelihood(MemorySegment row, int[] ids) {
        double sum = 0;
        for (int v = 0; v < vocab; v++) sum -= softplus(row.getAtIndex(ValueLayout.JAVA_FLOAT, v));  // ln(1 − σ(ℓ))
        for (int v : ids) sum += row.getAtIndex(ValueLayout.JAVA_FLOAT, v);  // ln σ(ℓ) − ln(1 − σ(ℓ)) = ℓ
        return sum;
    }

    /** ln(1 + e^x), without overflow. */
    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    @Override
    public void close() {
        if (decoder != null) decoder.close();
        if (candidates != null) candidates.close();
        if (targetScorer != null) targetScorer.close();
        arena.close();
    }
}
