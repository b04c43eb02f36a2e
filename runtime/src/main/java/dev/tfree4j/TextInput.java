package dev.tfree4j;

/**
 * Checks text handed to the API. Java strings are UTF-16 and may hold unpaired surrogates, which
 * are no Unicode text: UTF-8 (which the model's hashing reads) cannot encode them, and Java
 * would silently turn each into '?'. They are refused instead, naming the position.
 */
final class TextInput {
    private TextInput() {}

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
