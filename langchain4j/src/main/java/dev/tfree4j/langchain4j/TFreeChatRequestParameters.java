package dev.tfree4j.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import java.util.Objects;

/**
 * LangChain4j's common request parameters plus what a tfree4j model also takes per request:
 * the sampling {@link #seed()} (the same seed, the same words). Pass it as a request's
 * parameters, or as a model's default parameters:
 * <pre>{@code
 * ChatRequest.builder().messages(UserMessage.from("Who made the heaven?"))
 *         .parameters(TFreeChatRequestParameters.builder().temperature(0.1).seed(42L).build()).build();
 * }</pre>
 */
public class TFreeChatRequestParameters extends DefaultChatRequestParameters {
    private final Long seed;

    protected TFreeChatRequestParameters(Builder builder) {
        super(builder);
        this.seed = builder.seed;
    }

    /** The sampling seed, or null for the model's default (0). */
    public Long seed() {
        return seed;
    }

    /** The fields of {@code that} that are set replace these (a plain parameters object keeps this seed). */
    @Override
    public TFreeChatRequestParameters overrideWith(ChatRequestParameters that) {
        return builder().overrideWith(this).overrideWith(that).build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TFreeChatRequestParameters other && super.equals(o) && Objects.equals(seed, other.seed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), seed);
    }

    @Override
    public String toString() {
        return "TFreeChatRequestParameters{" + super.toString() + ", seed=" + seed + "}";
    }

    public static Builder builder() {
        return new Builder();
    }

    public static class Builder extends DefaultChatRequestParameters.Builder<Builder> {
        private Long seed;

        @Override
        public Builder overrideWith(ChatRequestParameters parameters) {
            super.overrideWith(parameters);
            if (parameters instanceof TFreeChatRequestParameters tfree && tfree.seed() != null) seed = tfree.seed();
            return this;
        }

        public Builder seed(Long seed) {
            this.seed = seed;
            return this;
        }

        @Override
        public TFreeChatRequestParameters build() {
            return new TFreeChatRequestParameters(this);
        }
    }
}
