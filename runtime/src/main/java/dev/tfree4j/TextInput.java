package dev.tfree4j;

import dev.tfree4j.text.WordSplitter;

/**
 * Checks text handed to the API. Java strings are UTF-16 and may hold unpaired surrogates, which
 * are no Unicode text: UTF-8 (which the model's hashing reads) cannot encode them, and Java
 * would silently turn each into '?'. They are refused instead, naming the position.
 */
final class TextInput {
    private TextInput() {}

    /**
     * The most characters (UTF-16 units) a prompt may have per position of the model's context.
     * A word costs its trigram count × vocab_population ids to encode, so without a cap a 10 MB
     * prompt took seconds and 1.65 GB before its length was refused; 1024 characters a word on
     * average is far beyond any language.
     */
    static final int MAX_CHARS_PER_POSITION = 1024;

    /**
     * Refuses {@code text} as a prompt for a context of {@code maxWords} positions before it is
     * encoded: longer than {@code maxWords} × {@link #MAX_CHARS_PER_POSITION} characters, or with
     * more than {@code maxWords} words by {@link WordSplitter#countWordsAtLeast} (a lower bound,
     * so nothing that fits is refused; the exact count is checked after encoding).
     *
     * @throws IllegalArgumentException naming what was given and the limit
     */
    static void requireFits(String what, String text, int maxWords) {
        long maxChars = (long) maxWords * MAX_CHARS_PER_POSITION;
        if (text.length() > maxChars) {
            throw new IllegalArgumentException("the " + what + " has " + text.length() + " characters; the limit is "
                    + maxChars + " (" + MAX_CHARS_PER_POSITION + " per position of the model's sequence_length " + maxWords + ")");
        }
        int words = WordSplitter.countWordsAtLeast(text, maxWords);
        if (words > maxWords) {
            throw new IllegalArgumentException("the " + what + " has more than " + maxWords
                    + " words but the model's sequence_length is " + maxWords);
        }
    }

    /** @throws IllegalArgumentException when {@code text} has an unpaired surrogate */
    static void requireWellFormed(String what, String text) {
        if (text == null) return;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(what + " has an unpaired surrogate U+" + Integer.toHexString(c).toUpperCase()
                        + " at index " + i + " (not valid Unicode text)");
            }
        }
    }
}
