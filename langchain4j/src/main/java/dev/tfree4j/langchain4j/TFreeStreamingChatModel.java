package dev.tfree4j.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A LangChain4j {@link StreamingChatModel} running a tfree4j model in-process. {@code chat}
 * checks the request, then returns at once and generates on a virtual thread: the handler gets
 * the text as it is generated, then the complete response (or the error). Each partial
 * response's context carries a {@link StreamingHandle}: {@code cancel()} stops the generation
 * after the word being generated (its session is freed), and no further callback comes.
 * See {@link TFreeBaseModel} for the parameters honoured and refused.
 */
public final class TFreeStreamingChatModel extends TFreeBaseModel implements StreamingChatModel {
    private TFreeStreamingChatModel(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatRequestParameters parameters = defaultRequestParameters().overrideWith(request.parameters());
        // Checked before the thread starts: a request the model cannot serve throws to the caller.
        options(parameters);
        String prompt = ChatPrompt.of(template, request.messages());
        Handle handle = new Handle();
        PartialResponseContext context = new PartialResponseContext(handle);
        Thread.ofVirtual().name("tfree4j-langchain4j-stream").start(() -> {
            Completion completion;
            try {
                completion = complete(prompt, parameters, piece -> handler.onPartialResponse(new PartialResponse(piece), context),
                        handle::isCancelled);
            } catch (RuntimeException | Error e) {
                if (!handle.isCancelled()) handler.onError(e);
                return;
            }
            if (completion.cancelled()) return;
            handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(completion.text())).modelName(modelName)
                    .tokenUsage(completion.tokenUsage()).finishReason(completion.finishReason()).build());
        });
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

    /** Cancellation of one streaming generation: checked after every generated word. */
    private static final class Handle implements StreamingHandle {
        private final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public void cancel() {
            cancelled.set(true);
        }

        @Override
        public boolean isCancelled() {
            return cancelled.get();
        }
    }

    public static final class Builder extends TFreeBaseModel.Builder<Builder, TFreeStreamingChatModel> {
        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public TFreeStreamingChatModel build() {
            return new TFreeStreamingChatModel(this);
        }
    }
}
