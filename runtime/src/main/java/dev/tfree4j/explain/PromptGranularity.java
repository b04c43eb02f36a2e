package dev.tfree4j.explain;

/**
 * How the prompt is cut into suppression units, each suppressed on its own (docs/spec/atman-dtm.md §A.6, A.8.1).
 * Whitespace words ({@code <|ws|>}, line breaks, ...) never form a unit of their own: they are
 * suppressed together with the word that follows them (with the one before at the prompt's end).
 *
 * @param kind the level
 * @param delimiter the delimiter text of {@link Kind#CUSTOM}, else null
 * @param autoTarget the unit count {@link Kind#AUTO} aims at, else 0
 */
public record PromptGranularity(Kind kind, String delimiter, int autoTarget) {
    /** The levels. T-FREE positions are words, so "token" and "word" are the same level. */
    public enum Kind {
        /** One unit per word. */
        WORD,
        /** A unit ends after ".", "!" or "?" and before a line break. */
        SENTENCE,
        /** A unit ends before a run of two or more line breaks. */
        PARAGRAPH,
        /** A unit ends after the word in which an occurrence of the delimiter text ends. */
        CUSTOM,
        /** Whichever of word, sentence and paragraph gives the unit count closest to autoTarget (ties: the finer). */
        AUTO
    }

    /** The hosted API's default: about 30 units. */
    public static final int DEFAULT_AUTO_TARGET = 30;

    public static final PromptGranularity WORD = new PromptGranularity(Kind.WORD, null, 0);
    public static final PromptGranularity SENTENCE = new PromptGranularity(Kind.SENTENCE, null, 0);
    public static final PromptGranularity PARAGRAPH = new PromptGranularity(Kind.PARAGRAPH, null, 0);
    public static final PromptGranularity AUTO = auto(DEFAULT_AUTO_TARGET);

    public PromptGranularity {
        if (kind == null) throw new IllegalArgumentException("granularity kind is null");
        if (kind == Kind.CUSTOM && (delimiter == null || delimiter.isEmpty())) {
            throw new IllegalArgumentException("a custom granularity needs a non-empty delimiter");
        }
        if (kind != Kind.CUSTOM && delimiter != null) {
            throw new IllegalArgumentException("only a custom granularity has a delimiter");
        }
        if (kind == Kind.AUTO && autoTarget < 1) {
            throw new IllegalArgumentException("auto granularity needs a target unit count >= 1, got " + autoTarget);
        }
        if (kind != Kind.AUTO && autoTarget != 0) throw new IllegalArgumentException("only auto granularity has a target count");
    }

    /** Units end after each occurrence of {@code delimiter} in the prompt text. */
    public static PromptGranularity custom(String delimiter) {
        return new PromptGranularity(Kind.CUSTOM, delimiter, 0);
    }

    /** The level whose unit count is closest to {@code target}. */
    public static PromptGranularity auto(int target) {
        return new PromptGranularity(Kind.AUTO, null, target);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CUSTOM -> "custom(" + delimiter + ")";
            case AUTO -> "auto(" + autoTarget + ")";
            default -> kind.name().toLowerCase();
        };
    }
}
