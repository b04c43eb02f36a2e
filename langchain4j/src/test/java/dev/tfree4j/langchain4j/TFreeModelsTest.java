package dev.tfree4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.Response;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LangChain4j models against the runtime API: every parameter gives what
 * {@link TFreeModel#generate} gives with the same option, on the text the chat template
 * writes; what the model cannot do throws; a streaming handle cancels.
 */
class TFreeModelsTest {
    private static final String PROMPT = "In the beginning God created";
    private static final String QUESTION = "Who made the heaven?";

    static TFreeModel model;
    private static TFreeLanguageModel language;
    private static TFreeChatModel chat;
    private static TFreeStreamingChatModel streaming;

    @BeforeAll
    static void open() {
        model = TFreeModel.open(BundledModel.locate());
        language = TFreeLanguageModel.builder().model(model).modelName("kjv").maxOutputTokens(12).build();
        chat = TFreeChatModel.builder().model(model).modelName("kjv").maxOutputTokens(12).build();
        streaming = TFreeStreamingChatModel.builder().model(model).modelName("kjv").maxOutputTokens(12).build();
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    /** What the runtime generates for the prompt: the words' text, without the end-of-text word. */
    static String reference(String prompt, GenerateOptions options) {
        String endOfText = model.tokenizer().config().endOfText();
        StringBuilder text = new StringBuilder();
        model.generate(prompt, options, (word, id, piece) -> {
            if (!word.equals(endOfText)) text.append(piece);
            return true;
        });
        return text.toString();
    }

    /** The prompt of a one-question chat, written with the template's own methods. */
    static String chatPrompt(String question) {
        return ChatTemplate.INSTRUCT.begin() + ChatTemplate.INSTRUCT.userTurn(question);
    }

    private static String continuation(ChatRequestParameters parameters) {
        return language.generate(PROMPT, parameters).content();
    }

    private static GenerateOptions.Builder words(int n) {
        return GenerateOptions.builder().maxWords(n);
    }

    @Test
    void greedyContinuationAndChatEqualGenerate() {
        Response<String> plain = language.generate(PROMPT);
        assertEquals(reference(PROMPT, words(12).build()), plain.content());
        assertEquals(model.encode(PROMPT).nWords(), plain.tokenUsage().inputTokenCount());
        ChatResponse answer = chat.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION)).build());
        assertEquals(reference(chatPrompt(QUESTION), words(12).build()), answer.aiMessage().text());
        assertEquals("kjv", answer.modelName());
        assertEquals(model.encode(chatPrompt(QUESTION)).nWords(), answer.tokenUsage().inputTokenCount());
        // A system message is written as the template's system turn.
        ChatResponse withSystem = chat.chat(SystemMessage.from("Answer briefly."), UserMessage.from(QUESTION));
        assertEquals(reference(ChatTemplate.INSTRUCT.systemTurn("Answer briefly.") + ChatTemplate.INSTRUCT.userTurn(QUESTION),
                words(12).build()), withSystem.aiMessage().text());
    }

    @Test
    void everySamplingParameterReachesTheRuntime() {
        var sampled = TFreeChatRequestParameters.builder().temperature(0.15).seed(42L).build();
        String seed42 = continuation(sampled);
        assertEquals(reference(PROMPT, words(12).temperature(0.15f).seed(42).build()), seed42);
        String seed7 = continuation(TFreeChatRequestParameters.builder().temperature(0.15).seed(7L).build());
        assertEquals(reference(PROMPT, words(12).temperature(0.15f).seed(7).build()), seed7);
        assertNotEquals(seed42, seed7, "the seed changes the sample");
        String greedy = continuation(TFreeChatRequestParameters.builder().build());
        assertNotEquals(greedy, seed42, "the temperature changes the words");

        String topK = continuation(TFreeChatRequestParameters.builder().temperature(0.15).seed(42L).topK(1).build());
        assertEquals(reference(PROMPT, words(12).temperature(0.15f).seed(42).topK(1).build()), topK);
        assertEquals(greedy, topK, "top-k 1 leaves only the best word");
        String topP = continuation(TFreeChatRequestParameters.builder().temperature(0.15).seed(42L).topP(0.2).build());
        assertEquals(reference(PROMPT, words(12).temperature(0.15f).seed(42).topP(0.2f).build()), topP);

        String three = continuation(TFreeChatRequestParameters.builder().maxOutputTokens(3).build());
        assertEquals(reference(PROMPT, words(3).build()), three);
        assertTrue(greedy.startsWith(three) && three.length() < greedy.length(), "maxOutputTokens counts words");
        assertEquals(3, language.generate(PROMPT, TFreeChatRequestParameters.builder().maxOutputTokens(3).build())
                .tokenUsage().outputTokenCount());

        // A stop sequence taken from inside the greedy text: the output ends just before it.
        String stop = greedy.substring(greedy.length() / 2, greedy.length() / 2 + 3);
        Response<String> stopped = language.generate(PROMPT, ChatRequestParameters.builder().stopSequences(stop).build());
        assertEquals(greedy.substring(0, greedy.indexOf(stop)), stopped.content());
        assertEquals(FinishReason.STOP, stopped.finishReason());
        assertEquals(FinishReason.LENGTH, language.generate(PROMPT).finishReason());
    }

    @Test
    void requestParametersOverrideTheDefaultsAndKeepTheDefaultSeed() {
        TFreeChatModel seeded = TFreeChatModel.builder().model(model).temperature(0.15).seed(42L).maxOutputTokens(12).build();
        String expected = reference(chatPrompt(QUESTION), words(12).temperature(0.15f).seed(42).build());
        assertEquals(expected, seeded.chat(QUESTION));
        // A plain parameters object (no seed) overrides the word count only: the default seed stays.
        ChatResponse five = seeded.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION))
                .parameters(ChatRequestParameters.builder().maxOutputTokens(5).build()).build());
        assertEquals(reference(chatPrompt(QUESTION), words(5).temperature(0.15f).seed(42).build()), five.aiMessage().text());
        ChatResponse otherSeed = seeded.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION))
                .parameters(TFreeChatRequestParameters.builder().seed(7L).build()).build());
        assertEquals(reference(chatPrompt(QUESTION), words(12).temperature(0.15f).seed(7).build()), otherSeed.aiMessage().text());
    }

    @Test
    void whatTheModelCannotDoThrows() {
        ToolSpecification tool = ToolSpecification.builder().name("weather").description("the weather").build();
        List<ChatRequest> unsupported = List.of(
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).toolSpecifications(tool).build(),
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).toolChoice(ToolChoice.REQUIRED).build(),
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).responseFormat(ResponseFormat.JSON).build(),
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).frequencyPenalty(0.5).build(),
                ChatRequest.builder().messages(UserMessage.from(QUESTION)).presencePenalty(0.5).build(),
                ChatRequest.builder().messages(UserMessage.from(TextContent.from("Look:"),
                        ImageContent.from("https://example.com/heaven.png"))).build(),
                ChatRequest.builder().messages(UserMessage.from(QUESTION), AiMessage.from(ToolExecutionRequest.builder()
                        .id("1").name("weather").arguments("{}").build())).build(),
                ChatRequest.builder().messages(UserMessage.from(QUESTION),
                        ToolExecutionResultMessage.from("1", "weather", "sunny")).build());
        for (ChatRequest request : unsupported) {
            assertThrows(UnsupportedFeatureException.class, () -> chat.chat(request), request::toString);
            assertThrows(UnsupportedFeatureException.class, () -> streaming.chat(request, new Collect()), request::toString);
        }
        ChatRequest otherModel = ChatRequest.builder().messages(UserMessage.from(QUESTION)).modelName("gpt-4o").build();
        assertThrows(IllegalArgumentException.class, () -> chat.chat(otherModel));
        assertThrows(IllegalArgumentException.class, () -> language.generate(PROMPT,
                ChatRequestParameters.builder().temperature(-1.0).build()));
        assertThrows(IllegalArgumentException.class, () -> TFreeChatModel.builder().model(model).topP(0.0).build());
        assertThrows(IllegalArgumentException.class, () -> TFreeChatModel.builder().build());
        // A text-only response format is what the model does anyway.
        assertEquals(chat.chat(QUESTION), chat.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION))
                .responseFormat(ResponseFormat.TEXT).build()).aiMessage().text());
    }

    /** A handler that collects a stream. */
    static final class Collect implements StreamingChatResponseHandler {
        final List<String> pieces = new ArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        Consumer<PartialResponseContext> onPiece = context -> {};

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            synchronized (pieces) {
                pieces.add(partial.text());
            }
            onPiece.accept(context);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    @Test
    void streamingSendsTheSameTextAsChat() throws Exception {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(QUESTION))
                .parameters(TFreeChatRequestParameters.builder().temperature(0.15).seed(3L).maxOutputTokens(10).build()).build();
        Collect collect = new Collect();
        streaming.chat(request, collect);
        ChatResponse response = collect.done.get(60, TimeUnit.SECONDS);
        String expected = reference(chatPrompt(QUESTION), words(10).temperature(0.15f).seed(3).build());
        assertEquals(expected, response.aiMessage().text());
        assertEquals(expected, String.join("", collect.pieces));
        assertTrue(collect.pieces.size() > 1, "streamed piece by piece");
        assertEquals(chat.chat(request).tokenUsage(), response.tokenUsage());
    }

    @Test
    void cancellingTheStreamingHandleStopsTheGeneration() throws Exception {
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(QUESTION)).maxOutputTokens(200).build();
        // Uncancelled, the request streams many pieces.
        Collect full = new Collect();
        streaming.chat(request, full);
        full.done.get(120, TimeUnit.SECONDS);
        assertTrue(full.pieces.size() > 5, full.pieces.toString());

        Collect cancelled = new Collect();
        CountDownLatch first = new CountDownLatch(1);
        cancelled.onPiece = context -> {
            context.streamingHandle().cancel();
            assertTrue(context.streamingHandle().isCancelled());
            first.countDown();
        };
        streaming.chat(request, cancelled);
        assertTrue(first.await(60, TimeUnit.SECONDS));
        // Longer than the whole uncancelled stream takes: nothing more arrives, neither text nor completion.
        Thread.sleep(1500);
        assertEquals(1, cancelled.pieces.size(), cancelled.pieces.toString());
        assertFalse(cancelled.done.isDone(), "a cancelled stream gets no completion");
    }

    @Test
    void anErrorInTheGenerationReachesOnError() throws Exception {
        Collect collect = new Collect();
        collect.onPiece = context -> {
            throw new IllegalStateException("the handler failed");
        };
        streaming.chat(QUESTION, collect);
        Exception e = assertThrows(Exception.class, () -> collect.done.get(60, TimeUnit.SECONDS));
        assertEquals("the handler failed", e.getCause().getMessage());
    }

    @Test
    void tokenCountsAreModelWords() {
        TFreeTokenCountEstimator estimator = new TFreeTokenCountEstimator(model);
        // "In | the | beginning | God | created": five T-FREE words (the README's usage example).
        assertEquals(5, estimator.estimateTokenCountInText(PROMPT));
        List<ChatMessage> messages = List.of(SystemMessage.from("Answer briefly."), UserMessage.from(QUESTION));
        // The count of a conversation is what the chat model feeds the runtime for it.
        assertEquals(chat.chat(messages).tokenUsage().inputTokenCount(), estimator.estimateTokenCountInMessages(messages));
        // A message counts its turn: the header and end-of-turn marker add words to the text's.
        assertTrue(estimator.estimateTokenCountInMessage(UserMessage.from(QUESTION)) > estimator.estimateTokenCountInText(QUESTION));
        assertEquals(0, estimator.estimateTokenCountInMessages(List.of()));
        assertNull(TFreeChatModel.builder().model(model).build().defaultRequestParameters().seed());
    }
}
