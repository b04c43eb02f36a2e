package dev.tfree4j;

/**
 * How a conversation is written as one text for an instruct checkpoint (docs/spec/tfree.md §6.3): a system
 * turn, then user turns each followed by the assistant's header, every turn closed by the
 * end-of-turn word.
 *
 * @param begin           the text's opening marker
 * @param systemHeader    before the system message
 * @param userHeader      before each user message
 * @param assistantHeader after each user turn: the model answers from here
 * @param endOfTurn       closes every turn (the model's end-of-text word)
 */
public record ChatTemplate(String begin, String systemHeader, String userHeader, String assistantHeader, String endOfTurn) {
    /** The instruct template of the released T-FREE instruct checkpoints. */
    public static final ChatTemplate INSTRUCT = new ChatTemplate("<|begin_of_text|>",
            "<|start_header_id|>system<|end_header_id|>\n\n", "<|start_header_id|>user<|end_header_id|>\n\n",
            "<|start_header_id|>assistant<|end_header_id|>", "<|endoftext|>");

    /** The conversation's start: the system message as a closed turn. */
    public String systemTurn(String system) {
        return begin + systemHeader + system + endOfTurn;
    }

    /** A user message as a closed turn, followed by the assistant's header. */
    public String userTurn(String text) {
        return userHeader + text + endOfTurn + assistantHeader;
    }
}
