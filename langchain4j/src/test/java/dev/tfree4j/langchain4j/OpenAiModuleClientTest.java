package dev.tfree4j.langchain4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.catalog.ModelDescription;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiLanguageModel;
import dev.langchain4j.model.openai.OpenAiModelCatalog;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.server.OpenAiServer;
import dev.tfree4j.server.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A second real client of {@code tfree4j serve}, beside the official OpenAI SDK (server/):
 * LangChain4j's OpenAI module lists the model, completes, chats and streams, and gets what
 * the runtime generates.
 */
class OpenAiModuleClientTest {
    private static final String KEY = "lc4j-key";
    private static final String NAME = BundledModel.NAME;
    private static final String PROMPT = "In the beginning God created";
    private static final String QUESTION = "Who made the heaven?";

    private static OpenAiServer server;
    private static String baseUrl;

    @BeforeAll
    static void start() throws InterruptedException {
        TFreeModelsTest.model = TFreeModel.open(BundledModel.locate());
        server = OpenAiServer.start(ServerConfig.DEFAULT.withHost("127.0.0.1").withPort(0).withApiKey(KEY), NAME,
                () -> TFreeModel.open(BundledModel.locate()));
        server.awaitReady(Duration.ofMinutes(2));
        baseUrl = "http://127.0.0.1:" + server.port() + "/v1";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        TFreeModelsTest.model.close();
    }

    private static String chatPrompt(String question) {
        return ChatTemplate.INSTRUCT.begin() + ChatTemplate.INSTRUCT.userTurn(question);
    }

    @Test
    void listsTheModel() {
        List<ModelDescription> models = OpenAiModelCatalog.builder().baseUrl(baseUrl).apiKey(KEY).build().listModels();
        assertEquals(List.of(NAME), models.stream().map(ModelDescription::name).toList());
    }

    @Test
    void completes() {
        OpenAiLanguageModel completions = OpenAiLanguageModel.builder().baseUrl(baseUrl).apiKey(KEY).modelName(NAME)
                .temperature(0.0).maxRetries(0).build();
        // OpenAI's completions default to 16 tokens; the module sends no max_tokens.
        assertEquals(TFreeModelsTest.reference(PROMPT, GenerateOptions.builder().maxWords(16).build()),
                completions.generate(PROMPT).content());
    }

    @Test
    void chatsWithEveryParameter() {
        OpenAiChatModel chat = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(KEY).modelName(NAME).maxRetries(0)
                .temperature(0.15).topP(0.9).seed(42).maxCompletionTokens(10).build();
        ChatResponse answer = chat.chat(dev.langchain4j.data.message.UserMessage.from(QUESTION));
        String expected = TFreeModelsTest.reference(chatPrompt(QUESTION),
                GenerateOptions.builder().maxWords(10).temperature(0.15f).topP(0.9f).seed(42).build());
        assertEquals(expected, answer.aiMessage().text());
        assertEquals(TFreeModelsTest.model.encode(chatPrompt(QUESTION)).nWords(), answer.tokenUsage().inputTokenCount());
    }

    @Test
    void streams() throws Exception {
        OpenAiStreamingChatModel chat = OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey(KEY).modelName(NAME)
                .temperature(0.0).maxCompletionTokens(10).build();
        TFreeModelsTest.Collect collect = new TFreeModelsTest.Collect();
        chat.chat(QUESTION, collect);
        ChatResponse response = collect.done.get(60, TimeUnit.SECONDS);
        String expected = TFreeModelsTest.reference(chatPrompt(QUESTION), GenerateOptions.builder().maxWords(10).build());
        assertEquals(expected, response.aiMessage().text());
        assertEquals(expected, String.join("", collect.pieces));
        assertTrue(collect.pieces.size() > 1, "streamed in pieces");
    }
}
