package dev.tfree4j.explain;

import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.engine.CpuContext;
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

    TargetScorer(LoadedModel model, CpuContext context, String prompt, List<String> targets, TargetScore kind,
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
                    List<String> more = new ArrayList<>(WordSplitter.split(prompt));
                    Set<String> known = new HashSet<>(more);
                    for (String w : targets) {
                        if (!model.dictionary().contains(w) && known.add(w)) more.add(w);
                    }
                    candidates = new CandidateSet(context, tokenizer, model.dictionary(), more);
                    decoder = new Decoder(context, candidates, vocab, population, edgeWeight);
                    candidateIndex = targets.stream().mapToInt(candidates::indexOf).toArray();
                    scoreBuffer = new float[candidates.size()];
                }
                case WORD_SCORE -> {
                    WordPatterns p = WordPatterns.build(targets, tokenizer);
                    targetScorer = new WordScorer(context, p.offsets(), p.ids(), p.edgeOffsets(), p.edgeIds(), p.nTrigrams());
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
                targetScorer.score(row, vocab, population, edgeWeight, targetScores);
                yield targetScores.getAtIndex(ValueLayout.JAVA_FLOAT, t);
            }
            case BCE -> logLikelihood(row, idSets[t]);
        };
    }

    /** score(w_t) − log Σ_c exp(score(c)), in double over the float scores. */
    private double dictLogProb(MemorySegment row, int t) {
        // One bulk copy, then plain array loops: several times faster than per-element segment reads.
        MemorySegment.copy(decoder.scores(row), ValueLayout.JAVA_FLOAT, 0, scoreBuffer, 0, scoreBuffer.length);
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
