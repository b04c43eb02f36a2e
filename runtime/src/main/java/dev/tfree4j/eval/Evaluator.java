package dev.tfree4j.eval;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.Session;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.Word;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Teacher-forced quality of a model on a text, defined exactly as tools/train/evaluate.py does:
 * the text's words are cut into non-overlapping chunks of sequence_length words; within a chunk
 * words[0..n−2] are the inputs and words[1..n−1] the targets (a trailing chunk of one word is
 * dropped).
 * <ul>
 *   <li>mean BCE: unweighted binary cross-entropy with logits, averaged over every (position,
 *       vocab id) element, against the multi-hot set of the target word's ids;</li>
 *   <li>word accuracy: the share of positions where greedy dictionary decoding (candidates = the
 *       dictionary only, edge weight 1) yields exactly the target word.</li>
 * </ul>
 */
public final class Evaluator {
    /** The result over all positions of a text. */
    public record Result(double meanBce, double wordAccuracy, long positions) {}

    private Evaluator() {}

    public static Result evaluate(TFreeModel model, String text) {
        LoadedModel loaded = ModelInternals.loaded(model);
        loaded.requireFilesUnchanged();
        Tokenizer tokenizer = loaded.tokenizer();
        int vocab = loaded.config().vocabSize();
        int chunkWords = loaded.config().sequenceLength();
        List<String> words = tokenizer.encode(text).words();

        double bceSum = 0;
        long correct = 0;
        long positions = 0;
        // Both under the close guard (see ModelInternals.whileOpen); no extra words, so no native scorer is made here.
        try (CandidateSet candidates = ModelInternals.whileOpen(model, () -> new CandidateSet(loaded.context(), tokenizer,
                     loaded.dictionary("eval (word accuracy)"), List.of()));
             Decoder decoder = ModelInternals.whileOpen(model, () -> new Decoder(loaded.context(), candidates, vocab,
                     tokenizer.config().vocabPopulation(), 1.0f))) {
            for (int start = 0; start + 1 < words.size(); start += chunkWords) {
                List<String> chunk = words.subList(start, Math.min(words.size(), start + chunkWords));
                int inputs = chunk.size() - 1;
                try (Session session = model.newSession(inputs)) {
                    MemorySegment logits = session.feed(asPositions(tokenizer, chunk.subList(0, inputs)), 0);
                    for (int p = 0; p < inputs; p++) {
                        MemorySegment row = logits.asSlice((long) p * vocab * Float.BYTES, (long) vocab * Float.BYTES);
                        String target = chunk.get(p + 1);
                        bceSum += bce(row, targetIds(tokenizer, target), vocab);
                        int chosen = decoder.decode(row).index();
                        if (candidates.word(chosen).equals(target)) correct++;
                        positions++;
                    }
                }
            }
        }
        if (positions == 0) throw new IllegalArgumentException("the text has fewer than two words; nothing to evaluate");
        return new Result(bceSum / ((double) positions * vocab), (double) correct / positions, positions);
    }

    /** The given words (already split and lowercased as configured) as one position each. */
    private static List<Encoding> asPositions(Tokenizer tokenizer, List<String> words) {
        List<Encoding> pieces = new ArrayList<>(words.size());
        for (String word : words) {
            // Each word is one position (its rows sum into one embedding even if it re-split).
            Encoding e = tokenizer.encode(word);
            pieces.add(e.nWords() == 1 ? e : new Encoding(List.of(word), List.of(new Word(word, 0, word.length())),
                    e.population(), e.ids(), new int[e.nRows()]));
        }
        return pieces;
    }

    /** The distinct vocab ids a word activates (its training target), sorted. */
    public static int[] targetIds(Tokenizer tokenizer, String word) {
        return Arrays.stream(tokenizer.vocabIds(word)).distinct().toArray();
    }

    /** Σ over the row of BCE-with-logits against a multi-hot target given by sorted ids. */
    public static double bce(MemorySegment row, int[] sortedTargetIds, int vocab) {
        double sum = 0;
        int next = 0;
        for (int v = 0; v < vocab; v++) {
            double x = row.getAtIndex(ValueLayout.JAVA_FLOAT, v);
            boolean positive = next < sortedTargetIds.length && sortedTargetIds[next] == v;
            if (positive) next++;
            // max(x, 0) − x·y + log(1 + e^−|x|), the numerically stable form.
            sum += Math.max(x, 0) - (positive ? x : 0) + Math.log1p(Math.exp(-Math.abs(x)));
        }
        return sum;
    }
}
