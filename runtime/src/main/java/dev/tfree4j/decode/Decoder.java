package dev.tfree4j.decode;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.Kernels;
import dev.tfree4j.engine.WordScorer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Turns a logits row into a word (docs/spec/tfree.md §6.2): word scores of every candidate, softmax over the
 * candidates, greedy argmax (ties go to the lowest index), and the reference's log-prob report.
 * One decoder per generation: it owns the score buffers, so a decode step allocates nothing
 * native.
 */
public final class Decoder implements AutoCloseable {
    /** One decoded row: the chosen index and the softmaxed probabilities (valid until the next call). */
    public record Step(int index, float probability, float score) {}

    private final NativeContext context;
    private final CandidateSet candidates;
    private final int vocab;
    private final int population;
    private final float edgeWeight;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment scores;
    private final MemorySegment probs;

    public Decoder(NativeContext context, CandidateSet candidates, int vocab, int population, float edgeWeight) {
        this.context = context;
        this.candidates = candidates;
        this.vocab = vocab;
        this.population = population;
        this.edgeWeight = edgeWeight;
        WordScorer dictScorer = candidates.dictionary().scorer();
        if (dictScorer.vocab() != vocab || dictScorer.population() != population) {
            throw new IllegalArgumentException("the dictionary was built for vocab " + dictScorer.vocab() + " and population "
                    + dictScorer.population() + ", the decoder is for " + vocab + " and " + population);
        }
        this.scores = arena.allocate(ValueLayout.JAVA_FLOAT, candidates.size());
        this.probs = arena.allocate(ValueLayout.JAVA_FLOAT, candidates.size());
    }

    /** Scores (before softmax) of every candidate for one logits row [vocab]. */
    public MemorySegment scores(MemorySegment logitsRow) {
        scoreRows(logitsRow, 1, scores);
        return scores;
    }

    /**
     * Scores of every candidate for {@code nRows} logits rows at once (one native call per
     * pattern set, each packed block of patterns reused for all rows):
     * logitsRows [nRows × vocab] → out [nRows × candidates().size()]. Each row has the bits
     * {@link #scores} gives it.
     */
    public void scoreRows(MemorySegment logitsRows, int nRows, MemorySegment out) {
        Dictionary dict = candidates.dictionary();
        WordScorer extra = candidates.extraScorer();
        int n = candidates.size();
        if (extra == null) {
            dict.scorer().score(logitsRows, nRows, edgeWeight, out);
            return;
        }
        if (nRows == 1) {
            dict.scorer().score(logitsRows, 1, edgeWeight, out);
            extra.score(logitsRows, 1, edgeWeight, out.asSlice((long) dict.size() * Float.BYTES));
            return;
        }
        // Dictionary and extra words of a row are adjacent in `out`: score each set for all rows,
        // then interleave.
        try (Arena call = Arena.ofConfined()) {
            MemorySegment d = call.allocate(ValueLayout.JAVA_FLOAT, (long) nRows * dict.size());
            MemorySegment e = call.allocate(ValueLayout.JAVA_FLOAT, (long) nRows * extra.size());
            dict.scorer().score(logitsRows, nRows, edgeWeight, d);
            extra.score(logitsRows, nRows, edgeWeight, e);
            for (int r = 0; r < nRows; r++) {
                long row = (long) r * n * Float.BYTES;
                MemorySegment.copy(d, (long) r * dict.size() * Float.BYTES, out, row, (long) dict.size() * Float.BYTES);
                MemorySegment.copy(e, (long) r * extra.size() * Float.BYTES, out, row + (long) dict.size() * Float.BYTES,
                        (long) extra.size() * Float.BYTES);
            }
        }
    }

    /** Scores, softmax and greedy choice for one logits row. */
    public Step decode(MemorySegment logitsRow) {
        scores(logitsRow);
        return choose();
    }

    /**
     * As {@link #decode} from one row of {@link #scoreRows}'s output (the candidates' scores of a
     * logits row); {@link #lastScores} then holds a copy of them.
     */
    public Step decodeScores(MemorySegment rowScores) {
        MemorySegment.copy(rowScores, 0, scores, 0, scores.byteSize());
        return choose();
    }

    /** Softmax of {@link #scores} and the greedy choice. */
    private Step choose() {
        int n = candidates.size();
        Kernels.softmax(context, scores, n, probs);
        int best = argmax(probs, n);
        return new Step(best, probs.getAtIndex(ValueLayout.JAVA_FLOAT, best), scores.getAtIndex(ValueLayout.JAVA_FLOAT, best));
    }

    /** Softmaxed probabilities of the last {@link #decode} call. */
    public MemorySegment probabilities() {
        return probs;
    }

    /** Raw scores of the last {@link #decode} or {@link #scores} call. */
    public MemorySegment lastScores() {
        return scores;
    }

    public CandidateSet candidates() {
        return candidates;
    }

    int population() {
        return population;
    }

    /** Index of the largest value; the lowest index wins ties (torch.argmax). */
    static int argmax(MemorySegment values, int n) {
        int best = 0;
        float bestValue = values.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
        for (int i = 1; i < n; i++) {
            float v = values.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }

    /**
     * The reference's log_probs(k) report of the last decode: first the chosen word, then the
     * top-k words in descending probability, until k distinct strings are present; values are
     * ln(probability). With a target word (echo), its log-prob is added too.
     */
    public LinkedHashMap<String, Float> logProbs(int chosen, int k, String target) {
        LinkedHashMap<String, Float> out = new LinkedHashMap<>();
        int n = candidates.size();
        int want = Math.min(k, n);
        out.put(candidates.word(chosen), ln(probs.getAtIndex(ValueLayout.JAVA_FLOAT, chosen)));
        for (int index : topK(probs, n, want)) {
            if (out.size() >= want) break;
            out.put(candidates.word(index), ln(probs.getAtIndex(ValueLayout.JAVA_FLOAT, index)));
        }
        if (target != null) {
            int t = candidates.indexOf(target);
            if (t >= 0) out.put(target, ln(probs.getAtIndex(ValueLayout.JAVA_FLOAT, t)));
        }
        return out;
    }

    static float ln(float p) {
        return (float) Math.log(p);
    }

    /**
     * Indices of the k largest values, descending; equal values in index order; NaN ranks below
     * every number. O(n log k): a min-heap of the k best so far, whose root (the worst of them) is
     * the bar a new value must beat (a plain insertion buffer is O(n k), which a large k — or a
     * dictionary of millions — turns into seconds per word).
     */
    static List<Integer> topK(MemorySegment values, int n, int k) {
        // worse(a, b) < 0 when a ranks below b: a smaller value, or an equal value at a later index.
        Comparator<Integer> rank = (a, b) -> {
            float va = values.getAtIndex(ValueLayout.JAVA_FLOAT, a), vb = values.getAtIndex(ValueLayout.JAVA_FLOAT, b);
            if (Float.isNaN(va) || Float.isNaN(vb)) {
                if (Float.isNaN(va) && Float.isNaN(vb)) return Integer.compare(b, a);
                return Float.isNaN(va) ? -1 : 1;
            }
            int byValue = Float.compare(va, vb);
            return byValue != 0 ? byValue : Integer.compare(b, a);
        };
        if (k <= 0) return List.of();
        PriorityQueue<Integer> best = new PriorityQueue<>(k, rank);  // root = the worst kept
        for (int i = 0; i < n; i++) {
            if (best.size() < k) {
                best.add(i);
            } else if (rank.compare(i, best.peek()) > 0) {
                best.poll();
                best.add(i);
            }
        }
        List<Integer> result = new ArrayList<>(best);
        result.sort(rank.reversed());
        return result;
    }

    /** Converts a log-prob map to the list-of-pairs shape results use. */
    public static List<Map.Entry<String, Float>> pairs(LinkedHashMap<String, Float> map) {
        return new ArrayList<>(map.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
    }

    @Override
    public void close() {
        arena.close();
    }
}
