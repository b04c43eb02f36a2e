package dev.tfree4j.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} running a tfree4j model in-process: the messages are written
 * in the chat template and the model continues after the assistant's header.
 * <pre>{@code
 * try (TFreeModel model = TFreeModel.openDefault()) {
 *     ChatModel chat = TFreeChatModel.builder().model(model).maxOutputTokens(32).build();
 *     String answer = chat.chat("Who made the heaven?");
 * }
 * }</pre>
 * See {@link TFreeBaseModel} for the parameters honoured and refused.
 */
public final class TFreeChatModel extends TFreeBaseModel implements ChatModel {
    private TFreeChatModel(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        // chat() has merged the defaults already; doing it again is harmless and covers direct calls.
        ChatRequestParameters parameters = defaultRequestParameters().overrideWith(request.parameters());
        String prompt = ChatPrompt.of(template, request.messages());
        Completion completion = complete(prompt, parameters, piece -> {}, () -> false);
        return ChatResponse.builder().aiMessage(AiMessage.from(completion.text())).modelName(modelName)
                .tokenUsage(completion.tokenUsage()).finishReason(completion.finishReason()).build();
    }

    @Override
    public TFreeChatRequestParameters defaultRequestParameters() {
        return super.defaultRequestParameters();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return Set.of();
    }

    public static final class Builder extends TFreeBaseModel.Builder<Builder, TFreeChatModel> {
        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public TFreeChatModel build() {
            return new TFreeChatModel(this);
        }
    }
}
