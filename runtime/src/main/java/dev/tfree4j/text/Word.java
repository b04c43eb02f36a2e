package dev.tfree4j.text;

/**
 * One word of a split text and the span of the original text it stands for.
 *
 * <p>{@code start} and {@code length} are Java {@code String} (UTF-16) indices into the text that
 * was split. Special whitespace words cover the whitespace they encode ({@code <|2<-ws->|>} its two
 * spaces, {@code <|\n|>} its newline); {@code <|no_ws|>} is a zero-length span at the seam between
 * its neighbours; an "expected" single space that the split drops is covered by no word.
 */
public record Word(String text, int start, int length) {
    public Word {
        if (text == null) throw new NullPointerException("text");
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("bad span " + start + "+" + length + " for " + text);
        }
    }

    /** Index just after the span. */
    public int end() {
        return start + length;
    }
}
