package dev.tfree4j.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.tfree4j.ChatTemplate;
import java.util.List;

/**
 * LangChain4j messages written as one text in a {@link ChatTemplate} (as {@code tfree4j chat}
 * and the server's {@code /v1/chat/completions} write them): the opening marker, each message as
 * a turn (header, text, end of turn), then the assistant's header, where the model answers.
 * Messages a T-FREE model cannot read (images, audio, tool calls and their results) are
 * refused with {@link UnsupportedFeatureException}.
 */
final class ChatPrompt {
    private ChatPrompt() {}

    static String of(ChatTemplate template, List<ChatMessage> messages) {
        if (messages == null || messages.isEmpty()) throw new IllegalArgumentException("the chat has no messages");
        StringBuilder text = new StringBuilder(template.begin());
        for (ChatMessage message : messages) text.append(turn(template, message));
        return text.append(template.assistantHeader()).toString();
    }

    /** One message as its turn: header, text, end of turn. */
    static String turn(ChatTemplate template, ChatMessage message) {
        String header;
        String content;
        switch (message) {
            case SystemMessage system -> {
                header = template.systemHeader();
                content = system.text();
            }
            case UserMessage user -> {
                header = template.userHeader();
                content = userText(user);
            }
            case AiMessage ai -> {
                if (ai.hasToolExecutionRequests()) throw new UnsupportedFeatureException("tfree4j models do not support tool calls");
                header = template.assistantHeader();
                content = ai.text() == null ? "" : ai.text();
            }
            case null -> throw new IllegalArgumentException("a chat message is null");
            default -> throw new UnsupportedFeatureException("tfree4j models read system, user and AI text messages only, not "
                    + message.type());
        }
        return header + content + template.endOfTurn();
    }

    private static String userText(UserMessage user) {
        if (user.hasSingleText()) return user.singleText();
        StringBuilder text = new StringBuilder();
        for (Content content : user.contents()) {
            if (!(content instanceof TextContent part)) {
                throw new UnsupportedFeatureException("tfree4j models read text only, not " + content.type() + " content");
            }
            text.append(part.text());
        }
        return text.toString();
    }
}
