package dev.tfree4j;

import dev.tfree4j.decode.WordChooser;
import dev.tfree4j.text.Encoding;
import java.lang.foreign.MemorySegment;

/**
 * The one generation loop (docs/spec/tfree.md §6.3) that generate, streaming, chat and divergence's greedy
 * reference share. It starts on a session whose last forward gave the next word's logits (the
 * prompt's prefill) and repeats: choose a word, report it, apply the stop rules, feed the word
 * back (re-encoded, as the reference does), until {@code maxWords} words.
 */
public final class GenerationLoop {
    private GenerationLoop() {}

    /** Receives every chosen word with the logits row it was chosen from (valid during the call). */
    @FunctionalInterface
    public interface WordSink {
        /** Returns false to stop the generation ({@link GenerationResult.StopReason#LISTENER}). */
        boolean onWord(String word, int index, MemorySegment logitsRow);
    }

    /** As {@link #run(Session, WordChooser, StopRules, int, Cancellation, WordSink)}, never cancelled. */
    public static GenerationResult.StopReason run(Session session, WordChooser chooser, StopRules rules, int maxWords,
                                                  WordSink sink) {
        return run(session, chooser, rules, maxWords, null, sink);
    }

    /**
     * Runs the loop and says why it stopped. Besides the rules it stops at an empty word, and
     * when the next word does not fit: the session's capacity or its length at the start plus
     * {@code maxWords}, whichever is smaller (so a kept chat session stops where a fresh
     * generation would).
     *
     * @param cancel checked before each step; null = never cancelled
     */
    static GenerationResult.StopReason run(Session session, WordChooser chooser, StopRules rules, int maxWords,
                                           Cancellation cancel, WordSink sink) {
        ModelGuard guard = session.guard();
        int limit = (int) Math.min(session.capacity(), (long) session.length() + maxWords);
        MemorySegment row = session.nextLogitsRow();
        String last = null;
        for (int step = 0; step < maxWords; step++) {
            GenerationResult.StopReason cancelled = cancel == null ? null : cancel.check();
            if (cancelled != null) return cancelled;
            if (step > 0) {
                if (last.isEmpty()) return GenerationResult.StopReason.EMPTY_WORD;
                Encoding next = session.encode(last);
                if (next.nWords() == 0) return GenerationResult.StopReason.EMPTY_WORD;
                if (session.length() + next.nWords() > limit) return GenerationResult.StopReason.CONTEXT_FULL;
                row = session.feed(next, 1);
            }
            MemorySegment chosenFrom = row;
            int chosen = guard.call(() -> chooser.choose(chosenFrom));
            String word = chooser.word(chosen);
            if (!sink.onWord(word, chosen, row)) return GenerationResult.StopReason.LISTENER;
            GenerationResult.StopReason stop = rules.after(word, step);
            if (stop != null) return stop;
            last = word;
        }
        return GenerationResult.StopReason.MAX_WORDS;
    }
}
