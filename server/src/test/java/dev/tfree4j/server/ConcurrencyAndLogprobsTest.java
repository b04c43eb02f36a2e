package dev.tfree4j.server;

import static dev.tfree4j.server.TestServers.post;
import static dev.tfree4j.server.TestServers.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.Json;
import dev.tfree4j.TFreeModel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests running at the same time answer what each would alone; log-probs come in OpenAI's shapes. */
class ConcurrencyAndLogprobsTest {
    private static final List<String> PROMPTS = List.of("In the beginning God created", "And the earth was",
            "And God said, Let there be", "The LORD is my shepherd", "Blessed are the", "And Moses spake unto");
    private static final int REQUESTS = 16;
    private static final int WORDS = 32;

    private static OpenAiServer server;
    private static TFreeModel model;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServers.start(ServerConfig.DEFAULT.withMaxBatch(8).withMaxQueue(32));
        model = TFreeModel.open(BundledModel.locate());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        if (model != null) model.close();
    }

    @Test
    void concurrentRequestsEqualSequentialGenerate() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) expected.add(reference(model, PROMPTS.get(i % PROMPTS.size()), options(i)));
        List<String> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(REQUESTS)) {
            List<Future<String>> pending = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int request = i;
                pending.add(clients.submit(() -> complete(request)));
            }
            for (Future<String> answer : pending) answers.add(answer.get());
        }
        assertEquals(expected, answers);
        assertEquals(0, server.openSessions());
    }

    private static String complete(int request) throws Exception {
        String body = "{\"prompt\":" + Json.write(PROMPTS.get(request % PROMPTS.size())) + ",\"max_tokens\":" + WORDS
                + (request % 2 == 1 ? ",\"temperature\":0.1,\"seed\":" + request : "") + "}";
        JsonNode answer = Json.MAPPER.readTree(post(server, "/v1/completions", null, body.getBytes(StandardCharsets.UTF_8)).body());
        return answer.path("choices").path(0).path("text").asText();
    }

    /** Even requests greedy, odd ones sampled with their own seed. */
    private static GenerateOptions options(int request) {
        GenerateOptions.Builder options = GenerateOptions.builder().maxWords(WORDS);
        if (request % 2 == 1) options.temperature(0.1f).seed(request);
        return options.build();
    }

    @Test
    void completionLogprobsCoverEchoedAndGeneratedWords() throws Exception {
        String body = "{\"prompt\":\"In the beginning\",\"max_tokens\":4,\"logprobs\":2,\"echo\":true}";
        JsonNode choice = Json.MAPPER.readTree(post(server, "/v1/completions", null, body.getBytes(StandardCharsets.UTF_8)).body())
                .path("choices").path(0);
        JsonNode logprobs = choice.path("logprobs");
        int promptWords = model.encode("In the beginning").nWords();
        assertEquals(promptWords + 4, logprobs.path("tokens").size());
        assertTrue(logprobs.path("token_logprobs").path(0).isNull(), "the first prompt word has no context");
        for (int i = 1; i < logprobs.path("tokens").size(); i++) {
            assertTrue(logprobs.path("token_logprobs").path(i).asDouble() <= 0);
            assertTrue(logprobs.path("top_logprobs").path(i).size() <= 2);
        }
        assertTrue(choice.path("text").asText().startsWith("In the beginning"));
    }

    @Test
    void chatLogprobsListEveryGeneratedWord() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Who made the heaven?\"}],\"max_completion_tokens\":5,"
                + "\"logprobs\":true,\"top_logprobs\":3}";
        JsonNode response = Json.MAPPER.readTree(post(server, "/v1/chat/completions", null, body.getBytes(StandardCharsets.UTF_8)).body());
        JsonNode content = response.path("choices").path(0).path("logprobs").path("content");
        assertEquals(response.path("usage").path("completion_tokens").asInt(), content.size());
        for (JsonNode word : content) {
            assertTrue(word.path("token").isTextual() && word.path("logprob").asDouble() <= 0);
            assertTrue(word.path("top_logprobs").size() >= 1 && word.path("top_logprobs").size() <= 3);
        }
    }
}
