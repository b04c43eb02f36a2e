package dev.tfree4j;

import java.util.Set;

/**
 * When generation stops after a chosen word (docs/spec/tfree.md §6.3): at the end-of-text word (always when it
 * is the first word, later only with {@code abortOnEndOfText}), or at one of the stop words.
 * The loop's own limits (max words, context, empty word, listener, timeout) are not rules here.
 *
 * @param endOfText the end-of-text word, null = none
 */
public record StopRules(String endOfText, boolean abortOnEndOfText, Set<String> stopWords) {
    /** No rule: the loop runs until its own limits. */
    public static final StopRules NONE = new StopRules(null, false, Set.of());

    public StopRules {
        stopWords = Set.copyOf(stopWords);
    }

    /** The rules of a generate call. */
    static StopRules of(GenerateOptions options, String endOfText) {
        return new StopRules(endOfText, options.abortOnEndOfText(), Set.copyOf(options.stopWords()));
    }

    /** Why to stop after {@code word} chosen at {@code step} (0-based), or null to go on. */
    public GenerationResult.StopReason after(String word, int step) {
        if (word.equals(endOfText) && (step == 0 || abortOnEndOfText)) return GenerationResult.StopReason.END_OF_TEXT;
        if (stopWords.contains(word)) return GenerationResult.StopReason.STOP_WORD;
        return null;
    }
}
