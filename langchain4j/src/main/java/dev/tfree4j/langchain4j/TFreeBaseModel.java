package dev.tfree4j.langchain4j;

import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.StopSequences;
import dev.tfree4j.TFreeModel;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the tfree4j LangChain4j models share: a {@link TFreeModel} run in-process, default
 * request parameters, the chat template, and the one generation path that turns LangChain4j
 * parameters into the runtime's {@link GenerateOptions}. Every parameter is honoured or refused:
 * <ul>
 *   <li>{@code temperature} (0 or absent: greedy; T-FREE word scores lie in about [0, 1], so
 *       useful values are about 0.02–0.2), {@code topP}, {@code topK}, {@code maxOutputTokens}
 *       (words; absent: {@value #DEFAULT_MAX_OUTPUT_TOKENS}), {@code stopSequences} (the text
 *       ends before the first one) and {@link TFreeChatRequestParameters#seed()} go to the runtime;</li>
 *   <li>tools, tool choice, a response format other than text, and non-zero frequency or
 *       presence penalties throw {@link UnsupportedFeatureException};</li>
 *   <li>a {@code modelName} other than this model's is an {@link IllegalArgumentException}.</li>
 * </ul>
 * A "token" here (usage, {@code maxOutputTokens}) is one model unit: a T-FREE word. The caller
 * owns the {@link TFreeModel} and closes it; the LangChain4j models are cheap views of it and
 * safe to use from several threads (each request runs its own session).
 */
public abstract class TFreeBaseModel {
    /** Words generated when the request sets no {@code maxOutputTokens}. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 256;

    protected final TFreeModel model;
    protected final String modelName;
    protected final ChatTemplate template;
    private final TFreeChatRequestParameters defaults;
    private final String endOfText;

    protected TFreeBaseModel(Builder<?, ?> builder) {
        if (builder.model == null) throw new IllegalArgumentException("model is required: TFreeModel.open(dir) or TFreeModel.openDefault()");
        this.model = builder.model;
        this.modelName = builder.modelName == null ? "tfree4j" : builder.modelName;
        this.template = builder.template == null ? ChatTemplate.INSTRUCT : builder.template;
        this.endOfText = model.tokenizer().config().endOfText();
        TFreeChatRequestParameters.Builder defaults = TFreeChatRequestParameters.builder().modelName(modelName);
        if (builder.defaultRequestParameters != null) defaults.overrideWith(builder.defaultRequestParameters);
        defaults.overrideWith(TFreeChatRequestParameters.builder().temperature(builder.temperature).topP(builder.topP)
                .topK(builder.topK).maxOutputTokens(builder.maxOutputTokens).stopSequences(builder.stopSequences)
                .seed(builder.seed).build());
        this.defaults = defaults.build();
        options(this.defaults); // bad defaults fail here, not at the first request
    }

    /** This model's defaults; a request's parameters that are set replace them. */
    public TFreeChatRequestParameters defaultRequestParameters() {
        return defaults;
    }

    /** The model's name in requests and responses. */
    public String modelName() {
        return modelName;
    }

    /**
     * The runtime's options for parameters (already merged with the defaults).
     *
     * @throws UnsupportedFeatureException for what a T-FREE model cannot do
     * @throws IllegalArgumentException for a value out of range or another model's name
     */
    GenerateOptions options(ChatRequestParameters p) {
        if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
            throw new UnsupportedFeatureException("tfree4j models do not support tools");
        }
        if (p.toolChoice() != null) throw new UnsupportedFeatureException("tfree4j models do not support tool choice");
        if (p.responseFormat() != null && p.responseFormat().type() != ResponseFormatType.TEXT) {
            throw new UnsupportedFeatureException("tfree4j models answer in text only, not response format " + p.responseFormat().type());
        }
        if (p.frequencyPenalty() != null && p.frequencyPenalty() != 0) {
            throw new UnsupportedFeatureException("tfree4j models do not support a frequency penalty");
        }
        if (p.presencePenalty() != null && p.presencePenalty() != 0) {
            throw new UnsupportedFeatureException("tfree4j models do not support a presence penalty");
        }
        if (p.modelName() != null && !p.modelName().equals(modelName)) {
            throw new IllegalArgumentException("this is the model '" + modelName + "', not '" + p.modelName() + "'");
        }
        Integer words = p.maxOutputTokens();
        if (words != null && words < 0) throw new IllegalArgumentException("maxOutputTokens must be >= 0, got " + words);
        if (p.stopSequences() != null) new StopSequences(p.stopSequences()); // an empty stop text is named here
        GenerateOptions.Builder options = GenerateOptions.builder().maxWords(words == null ? DEFAULT_MAX_OUTPUT_TOKENS : words);
        if (p.temperature() != null) options.temperature(p.temperature().floatValue());
        if (p.topP() != null) options.topP(p.topP().floatValue());
        if (p.topK() != null) options.topK(p.topK());
        if (p instanceof TFreeChatRequestParameters tfree && tfree.seed() != null) options.seed(tfree.seed());
        return options.build(); // checks the ranges: temperature >= 0, topP in (0, 1], topK >= 0
    }

    /**
     * How one generation ended.
     *
     * @param text the text generated (without the end-of-text word and what a stop sequence cut)
     * @param cancelled the caller cancelled it; the text is what came before
     */
    record Completion(String text, GenerationResult result, FinishReason finishReason, boolean cancelled) {
        TokenUsage tokenUsage() {
            return new TokenUsage(result.timings().promptWords(), result.timings().generatedWords());
        }
    }

    /**
     * Generates a continuation of {@code prompt}, passing text to {@code sink} as it comes (a
     * tail that may begin a stop sequence is held back until it is known not to be one), and
     * stopping after the word at which {@code cancelled} becomes true.
     */
    Completion complete(String prompt, ChatRequestParameters parameters, Consumer<String> sink, BooleanSupplier cancelled) {
        GenerateOptions options = options(parameters);
        StopSequences stops = new StopSequences(parameters.stopSequences() == null ? List.of() : parameters.stopSequences());
        StringBuilder text = new StringBuilder();
        boolean[] wasCancelled = {false};
        GenerationResult result = model.generate(prompt, options, (word, id, piece) -> {
            if (cancelled.getAsBoolean()) {
                wasCancelled[0] = true;
                return false;
            }
            if (word.equals(endOfText)) return true; // ends the generation without adding text
            send(sink, text, stops.add(piece));
            return !stops.stopped();
        });
        if (wasCancelled[0] || cancelled.getAsBoolean()) return new Completion(text.toString(), result, FinishReason.OTHER, true);
        send(sink, text, stops.finish());
        FinishReason finish = stops.stopped() ? FinishReason.STOP : switch (result.stopReason()) {
            case MAX_WORDS, CONTEXT_FULL -> FinishReason.LENGTH;
            case END_OF_TEXT, STOP_WORD, EMPTY_WORD, LISTENER -> FinishReason.STOP;
            case TIMEOUT, INTERRUPTED -> FinishReason.OTHER;
        };
        return new Completion(text.toString(), result, finish, false);
    }

    private static void send(Consumer<String> sink, StringBuilder text, String piece) {
        if (piece.isEmpty()) return;
        text.append(piece);
        sink.accept(piece);
    }

    /**
     * The builder every tfree4j LangChain4j model shares. The single parameters set here
     * override the same ones in {@link #defaultRequestParameters}.
     */
    public abstract static class Builder<B extends Builder<B, M>, M> {
        private TFreeModel model;
        private String modelName;
        private ChatTemplate template;
        private ChatRequestParameters defaultRequestParameters;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Integer maxOutputTokens;
        private List<String> stopSequences;
        private Long seed;

        protected Builder() {}

        protected abstract B self();

        public abstract M build();

        /** The model to run (required); the caller keeps it open while this is used, and closes it. */
        public B model(TFreeModel model) { this.model = model; return self(); }
        /** The name in requests and responses (default "tfree4j"). */
        public B modelName(String modelName) { this.modelName = modelName; return self(); }
        /** How chat messages are written as text (default {@link ChatTemplate#INSTRUCT}, as {@code tfree4j chat}). */
        public B chatTemplate(ChatTemplate template) { this.template = template; return self(); }
        /** Defaults for every request (a {@link TFreeChatRequestParameters} may carry a seed). */
        public B defaultRequestParameters(ChatRequestParameters parameters) { this.defaultRequestParameters = parameters; return self(); }
        public B temperature(Double temperature) { this.temperature = temperature; return self(); }
        public B topP(Double topP) { this.topP = topP; return self(); }
        public B topK(Integer topK) { this.topK = topK; return self(); }
        public B maxOutputTokens(Integer maxOutputTokens) { this.maxOutputTokens = maxOutputTokens; return self(); }
        public B stopSequences(List<String> stopSequences) { this.stopSequences = stopSequences; return self(); }
        public B seed(Long seed) { this.seed = seed; return self(); }
    }
}
