package dev.tfree4j.server;

import static dev.tfree4j.server.TestServers.MODEL_ID;
import static dev.tfree4j.server.TestServers.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.models.Model;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the server: what it sends, the server answers, as generate would. */
class OpenAiSdkTest {
    private static final String KEY = "sdk-test-key";
    private static final String PROMPT = "In the beginning God created";

    private static OpenAiServer server;
    private static TFreeModel model;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServers.start(ServerConfig.DEFAULT.withApiKey(KEY));
        model = TFreeModel.open(BundledModel.locate());
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey(KEY)
                .maxRetries(0).timeout(Duration.ofSeconds(60)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (server != null) server.stop();
        if (model != null) model.close();
    }

    @Test
    void listsTheModel() {
        List<Model> models = client.models().list().data();
        assertEquals(List.of(MODEL_ID), models.stream().map(Model::id).toList());
    }

    @Test
    void greedyCompletionEqualsGenerate() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(MODEL_ID).prompt(PROMPT).maxTokens(12).temperature(0).build());
        String expected = reference(model, PROMPT, GenerateOptions.builder().maxWords(12).build());
        assertEquals(expected, completion.choices().getFirst().text());
        assertEquals(model.encode(PROMPT).nWords(), completion.usage().orElseThrow().promptTokens());
        assertTrue(completion.usage().orElseThrow().completionTokens() <= 12);
    }

    @Test
    void seededSamplingEqualsGenerateWithTheSameSeed() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(MODEL_ID).prompt(PROMPT).maxTokens(16).temperature(0.1).seed(42).build());
        String expected = reference(model, PROMPT, GenerateOptions.builder().maxWords(16).temperature(0.1f).seed(42).build());
        assertEquals(expected, completion.choices().getFirst().text());
    }

    @Test
    void echoAndStopAreApplied() {
        String full = reference(model, PROMPT, GenerateOptions.builder().maxWords(12).build());
        String stop = full.substring(full.length() / 2, full.length() / 2 + 2);
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(MODEL_ID).prompt(PROMPT).maxTokens(12).echo(true).stop(stop).build());
        String text = completion.choices().getFirst().text();
        assertEquals(PROMPT + full.substring(0, full.indexOf(stop)), text);
        assertEquals("stop", completion.choices().getFirst().finishReason().asString());
    }

    @Test
    void streamedCompletionEqualsTheWholeOne() {
        String expected = reference(model, PROMPT, GenerateOptions.builder().maxWords(20).build());
        StringBuilder streamed = new StringBuilder();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(CompletionCreateParams.builder()
                .model(MODEL_ID).prompt(PROMPT).maxTokens(20).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> streamed.append(c.text())));
        }
        assertEquals(expected, streamed.toString());
    }

    @Test
    void chatGoesThroughTheChatTemplate() {
        String system = "You are a helpful assistant.";
        String user = "Who made the heaven?";
        ChatCompletion chat = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL_ID).addSystemMessage(system).addUserMessage(user).maxCompletionTokens(16).build());
        String conversation = ChatTemplate.INSTRUCT.systemTurn(system) + ChatTemplate.INSTRUCT.userTurn(user);
        String expected = reference(model, conversation, GenerateOptions.builder().maxWords(16).build());
        assertEquals(expected, chat.choices().getFirst().message().content().orElseThrow());
        assertEquals(model.encode(conversation).nWords(), chat.usage().orElseThrow().promptTokens());
    }

    @Test
    void streamedChatEqualsTheWholeOneAndEndsWithUsage() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(MODEL_ID)
                .addUserMessage("Who made the heaven?").maxCompletionTokens(24).build();
        String whole = client.chat().completions().create(params).choices().getFirst().message().content().orElseThrow();
        StringBuilder streamed = new StringBuilder();
        AtomicReference<ChatCompletionChunk> last = new AtomicReference<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append));
                last.set(chunk);
            });
        }
        assertEquals(whole, streamed.toString());
        assertTrue(last.get().choices().isEmpty());
        assertTrue(last.get().usage().orElseThrow().completionTokens() > 0);
        assertFalse(whole.contains(ChatTemplate.INSTRUCT.endOfTurn()));
    }
}
