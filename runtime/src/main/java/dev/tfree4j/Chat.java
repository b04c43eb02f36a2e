package dev.tfree4j;

import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import java.util.List;

/**
 * A conversation with an instruct checkpoint, written with a {@link ChatTemplate}. The
 * conversation stays in one {@link Session}: each turn runs only the positions the cache does
 * not hold yet (the new user turn and the last answer word, which generation chooses but does
 * not feed), so a turn costs its own words, not the whole conversation again. A turn answers
 * exactly what {@code generate} over the whole conversation text would, up to the rounding of
 * the cached positions (computed one word at a time while answering, not in one prefill).
 * <pre>{@code
 * try (Chat chat = model.chat(ChatTemplate.INSTRUCT, "You are a helpful assistant.")) {
 *     System.out.println(chat.say("Who made the heaven?", GenerateOptions.DEFAULT, null).completion());
 * }
 * }</pre>
 * Not thread-safe: one conversation, one thread at a time.
 */
public final class Chat implements AutoCloseable {
    private final LoadedModel model;
    private final ChatTemplate template;
    private final Session session;
    private final StringBuilder conversation;

    Chat(LoadedModel model, Session session, ChatTemplate template, String system) {
        if (template == null) throw new IllegalArgumentException("template is null");
        if (system == null) throw new IllegalArgumentException("system is null");
        TextInput.requireWellFormed("system", system);
        this.model = model;
        this.session = session;
        this.template = template;
        this.conversation = new StringBuilder(template.systemTurn(system));
    }

    /**
     * Adds a user turn and generates the answer (streamed to {@code listener} if given); the
     * answer, closed with the end-of-turn word, stays in the conversation. Echo and attention
     * controls do not apply to a chat.
     *
     * @throws ModelFormatException when the model has no dictionary
     */
    public GenerationResult say(String userText, GenerateOptions options, WordListener listener) {
        if (userText == null) throw new IllegalArgumentException("userText is null");
        if (options == null) throw new IllegalArgumentException("options is null");
        if (options.echo()) throw new IllegalArgumentException("echo does not apply to a chat turn");
        if (options.attentionControls() != null) throw new IllegalArgumentException("attention controls do not apply to a chat turn");
        TextInput.requireWellFormed("userText", userText);
        TextInput.requireWellFormed("moreWords", options.moreWords());
        model.requireFilesUnchanged();
        model.dictionary("chat");
        String prompt = conversation + template.userTurn(userText);
        Encoding prompted = session.encode(prompt);
        int n = prompted.nWords();
        if (n > session.capacity()) {
            throw new IllegalArgumentException("the conversation has " + n + " words but the model's sequence_length is "
                    + session.capacity());
        }
        long start = System.nanoTime();
        // Keep the cached positions the new text starts with; re-feed at least its last word,
        // whose logits the answer starts from.
        int keep = Math.min(commonPrefix(session.units(), prompted.words()), n - 1);
        session.truncate(keep);
        session.feed(prompted.tail(keep), 1);
        GenerationResult r = Generation.continueOn(session, model, prompt, prompted, options, listener, start);
        conversation.setLength(0);
        conversation.append(prompt).append(r.completion());
        if (!r.completion().endsWith(template.endOfTurn())) conversation.append(template.endOfTurn());
        return r;
    }

    /** The conversation so far, as one text in the template. */
    public String conversation() {
        return conversation.toString();
    }

    /** Positions the model has run for this chat so far (a re-prefilling chat would run far more). */
    public long forwardedPositions() {
        return session.forwardedPositions();
    }

    private static int commonPrefix(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) i++;
        return i;
    }

    /** Frees the conversation's KV cache. */
    @Override
    public void close() {
        session.close();
    }
}
