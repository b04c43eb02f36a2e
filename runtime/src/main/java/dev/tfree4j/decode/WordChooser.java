package dev.tfree4j.decode;

import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.text.Tokenizer;
import java.lang.foreign.MemorySegment;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the next word from a logits row (docs/spec/tfree.md §6.2–6.3): the candidates (dictionary plus extra
 * words) are scored and softmaxed by a {@link Decoder}; the greedy argmax is the choice unless a
 * {@link Sampler} is given, which then samples from the scores (with its repetition penalty on
 * the words already seen). Owns the candidates' and the decoder's native memory.
 */
public final class WordChooser implements AutoCloseable {
    private final CandidateSet candidates;
    private final Decoder decoder;
    private final Sampler sampler;
    /** Candidates the repetition penalty applies to: the prompt's words and every word chosen. */
    private final Set<Integer> seen = new HashSet<>();
    private Decoder.Step greedy;

    /**
     * @param moreWords extra candidate words (generation: the prompt's words) besides the dictionary
     * @param seenWords words the repetition penalty starts with (the prompt's)
     * @param sampler   null = greedy
     */
    public WordChooser(NativeContext context, Tokenizer tokenizer, Dictionary dictionary, List<String> moreWords,
                       float edgeWeight, Sampler sampler, List<String> seenWords) {
        this.candidates = new CandidateSet(context, tokenizer, dictionary, moreWords);
        try {
            this.decoder = new Decoder(context, candidates, tokenizer.config().vocabSize(),
                    tokenizer.config().vocabPopulation(), edgeWeight);
        } catch (RuntimeException | Error e) {
            candidates.close();
            throw e;
        }
        this.sampler = sampler;
        for (String w : seenWords) {
            int i = candidates.indexOf(w);
            if (i >= 0) seen.add(i);
        }
    }

    /** Scores the row and returns the chosen candidate's index. */
    public int choose(MemorySegment logitsRow) {
        greedy = decoder.decode(logitsRow);
        int chosen = sampler == null ? greedy.index() : sampler.sample(decoder.lastScores(), candidates.size(), seen);
        seen.add(chosen);
        return chosen;
    }

    /** The greedy step of the last {@link #choose} (its probability is the argmax's). */
    public Decoder.Step greedyStep() {
        return greedy;
    }

    public String word(int index) {
        return candidates.word(index);
    }

    public CandidateSet candidates() {
        return candidates;
    }

    /** The decoder, whose scores and probabilities are those of the last {@link #choose}. */
    public Decoder decoder() {
        return decoder;
    }

    @Override
    public void close() {
        decoder.close();
        candidates.close();
    }
}
