package dev.tfree4j;

/** Receives generated words as they are produced (streaming). */
@FunctionalInterface
public interface WordListener {
    /**
     * Called once per generated word, in order.
     *
     * @param word the word (a dictionary string, e.g. "Hello" or the special "<|ws|>")
     * @param tokenId its index among the candidates
     * @param text the text this word adds to the completion (may be empty, e.g. for "<|no_ws|>")
     * @return true to continue, false to stop the generation after this word
     */
    boolean onWord(String word, int tokenId, String text);
}
