package dev.tfree4j.langchain4j;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.TokenCountEstimator;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.TFreeModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts model units, the "tokens" of a tfree4j model: T-FREE words, split by the runtime's
 * tokenizer exactly as a prompt is. Not an estimate, then: a message counts the words of its
 * turn in the chat template (header and end-of-turn marker included), and a list of messages
 * the words of the whole prompt the chat models write for it. For {@code TokenWindowChatMemory}
 * and the like:
 * <pre>{@code
 * ChatMemory memory = TokenWindowChatMemory.withMaxTokens(400, new TFreeTokenCountEstimator(model));
 * }</pre>
 */
public final class TFreeTokenCountEstimator implements TokenCountEstimator {
    private final TFreeModel model;
    private final ChatTemplate template;

    /** Counts for the chat models' default template ({@link ChatTemplate#INSTRUCT}). */
    public TFreeTokenCountEstimator(TFreeModel model) {
        this(model, ChatTemplate.INSTRUCT);
    }

    public TFreeTokenCountEstimator(TFreeModel model, ChatTemplate template) {
        if (model == null || template == null) throw new IllegalArgumentException("model and template are required");
        this.model = model;
        this.template = template;
    }

    @Override
    public int estimateTokenCountInText(String text) {
        if (text == null) throw new IllegalArgumentException("text is null");
        return model.encode(text).nWords();
    }

    @Override
    public int estimateTokenCountInMessage(ChatMessage message) {
        return estimateTokenCountInText(ChatPrompt.turn(template, message));
    }

    @Override
    public int estimateTokenCountInMessages(Iterable<ChatMessage> messages) {
        List<ChatMessage> list = new ArrayList<>();
        messages.forEach(list::add);
        if (list.isEmpty()) return 0;
        return estimateTokenCountInText(ChatPrompt.of(template, list));
    }
}
