package dev.tfree4j.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.language.LanguageModel;
import dev.langchain4j.model.output.Response;

/**
 * A LangChain4j {@link LanguageModel}: plain continuation of a text, no chat template (what
 * {@code tfree4j generate} and {@code /v1/completions} do). The default request parameters
 * apply; {@link #generate(String, ChatRequestParameters)} sets others per call.
 * See {@link TFreeBaseModel} for the parameters honoured and refused.
 */
public final class TFreeLanguageModel extends TFreeBaseModel implements LanguageModel {
    private TFreeLanguageModel(Builder builder) {
        super(builder);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response<String> generate(String prompt) {
        return generate(prompt, defaultRequestParameters());
    }

    /** The continuation of {@code prompt} with these parameters (the set ones replace the defaults). */
    public Response<String> generate(String prompt, ChatRequestParameters parameters) {
        if (prompt == null) throw new IllegalArgumentException("prompt is null");
        Completion completion = complete(prompt, defaultRequestParameters().overrideWith(parameters), piece -> {}, () -> false);
        return Response.from(completion.text(), completion.tokenUsage(), completion.finishReason());
    }

    public static final class Builder extends TFreeBaseModel.Builder<Builder, TFreeLanguageModel> {
        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public TFreeLanguageModel build() {
            return new TFreeLanguageModel(this);
        }
    }
}
