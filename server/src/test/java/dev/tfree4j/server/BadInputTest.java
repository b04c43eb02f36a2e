package dev.tfree4j.server;

import static dev.tfree4j.server.TestServers.MODEL_ID;
import static dev.tfree4j.server.TestServers.get;
import static dev.tfree4j.server.TestServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed, wrongly typed, oversized and truncated requests: each gets its 4xx in OpenAI's
 * error shape, and afterwards the server is healthy with no session left open.
 */
class BadInputTest {
    private static final String KEY = "fuzz-key";
    private static final int MAX_BODY = 16 * 1024;
    private static final String VALID = "{\"model\":\"" + MODEL_ID + "\",\"prompt\":\"In the beginning\",\"max_tokens\":2}";

    private static OpenAiServer server;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServers.start(ServerConfig.DEFAULT.withApiKey(KEY).withMaxWords(64).withMaxBodyBytes(MAX_BODY));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    /** Bodies of /v1/completions that must be refused with 400, each for its own reason. */
    private static final List<String> BAD_COMPLETIONS = List.of(
            "", "{", "}", "[]", "null", "1", "\"prompt\"", "{\"prompt\":", "{\"prompt\":\"x\"} trailing",
            "{\"prompt\": 1}", "{\"prompt\": []}", "{\"prompt\": [1, 2, 3]}", "{\"prompt\": [\"a\", \"b\"]}", "{\"prompt\": {}}",
            "{\"max_tokens\": 4}", "{\"prompt\": \"\\ud800 lone\"}", "{\"prompt\": \"In\", \"max_tokens\": \"4\"}",
            "{\"prompt\": \"In\", \"max_tokens\": -1}", "{\"prompt\": \"In\", \"max_tokens\": 1.5}",
            "{\"prompt\": \"In\", \"max_tokens\": 1e400}", "{\"prompt\": \"In\", \"max_tokens\": 99999999999999999999999}",
            "{\"prompt\": \"In\", \"max_tokens\": 65}", "{\"prompt\": \"In\", \"temperature\": \"hot\"}",
            "{\"prompt\": \"In\", \"temperature\": 2.5}", "{\"prompt\": \"In\", \"temperature\": -0.1}",
            "{\"prompt\": \"In\", \"top_p\": 0}", "{\"prompt\": \"In\", \"top_p\": 1.01}", "{\"prompt\": \"In\", \"top_k\": -3}",
            "{\"prompt\": \"In\", \"seed\": \"7\"}", "{\"prompt\": \"In\", \"seed\": 1e30}", "{\"prompt\": \"In\", \"stop\": 5}",
            "{\"prompt\": \"In\", \"stop\": [1]}", "{\"prompt\": \"In\", \"stop\": \"\"}", "{\"prompt\": \"In\", \"stop\": [\"a\",\"b\",\"c\",\"d\",\"e\"]}",
            "{\"prompt\": \"In\", \"echo\": \"yes\"}", "{\"prompt\": \"In\", \"stream\": \"true\"}", "{\"prompt\": \"In\", \"stream\": 1}",
            "{\"prompt\": \"In\", \"stream_options\": {\"include_usage\": true}}",
            "{\"prompt\": \"In\", \"stream\": true, \"stream_options\": 3}", "{\"prompt\": \"In\", \"logprobs\": 6}",
            "{\"prompt\": \"In\", \"logprobs\": true}", "{\"prompt\": \"In\", \"stream\": true, \"logprobs\": 1}",
            "{\"prompt\": \"In\", \"n\": 2}", "{\"prompt\": \"In\", \"n\": \"1\"}", "{\"prompt\": \"In\", \"best_of\": 3}",
            "{\"prompt\": \"In\", \"suffix\": \"end\"}", "{\"prompt\": \"In\", \"logit_bias\": {\"5\": 1}}",
            "{\"prompt\": \"In\", \"presence_penalty\": 0.5}", "{\"prompt\": \"In\", \"frequency_penalty\": \"x\"}",
            "{\"prompt\": \"In\", \"tools\": [{\"type\": \"function\"}]}", "{\"prompt\": \"In\", \"tool_choice\": \"auto\"}",
            "{\"prompt\": \"In\", \"response_format\": {\"type\": \"json_object\"}}", "{\"prompt\": \"In\", \"user\": 5}",
            "{\"prompt\": \"In\", \"model\": 5}", "{\"prompt\": \"" + "word ".repeat(400) + "\"}",
            "[".repeat(5000) + "]".repeat(5000), "{\"prompt\": \"In\", \"prompt\": 3}");

    private static final List<String> BAD_CHATS = List.of(
            "{}", "{\"messages\": []}", "{\"messages\": \"hi\"}", "{\"messages\": [\"hi\"]}", "{\"messages\": [{}]}",
            "{\"messages\": [{\"role\": \"user\"}]}", "{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}",
            "{\"messages\": [{\"role\": 1, \"content\": \"x\"}]}", "{\"messages\": [{\"role\": \"user\", \"content\": 3}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {}}]}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"text\"}]}]}",
            "{\"messages\": [{\"role\": \"assistant\", \"content\": null, \"tool_calls\": []}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_completion_tokens\": \"9\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 2}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logprobs\": 1}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 3}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"tools\": [{}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"json_schema\"}}");

    @Test
    void malformedAndWronglyTypedBodiesGet400() throws Exception {
        for (String body : BAD_COMPLETIONS) expectError(post(server, "/v1/completions", KEY, bytes(body)), 400, body);
        for (String body : BAD_CHATS) expectError(post(server, "/v1/chat/completions", KEY, bytes(body)), 400, body);
        byte[] notUtf8 = {'{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        expectError(post(server, "/v1/completions", KEY, notUtf8), 400, "invalid UTF-8");
        assertIdle();
    }

    @Test
    void keyModelSizeAndRoutesHaveTheirStatus() throws Exception {
        expectError(post(server, "/v1/completions", null, bytes(VALID)), 401, "no key");
        expectError(post(server, "/v1/completions", "wrong", bytes(VALID)), 401, "wrong key");
        expectError(get(server, "/v1/models"), 401, "models without key");
        expectError(post(server, "/v1/completions", KEY, bytes(VALID.replace(MODEL_ID, "gpt-4o"))), 404, "unknown model");
        String big = "{\"prompt\": \"" + "a".repeat(MAX_BODY) + "\"}";
        expectError(post(server, "/v1/completions", KEY, bytes(big)), 413, "over the limit");
        // Without Content-Length (chunked), the limit is found while reading.
        HttpRequest chunked = HttpRequest.newBuilder(TestServers.uri(server, "/v1/completions"))
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(big)))).build();
        expectError(TestServers.HTTP.send(chunked, HttpResponse.BodyHandlers.ofString()), 413, "chunked over the limit");
        expectError(get(server, "/v1/completions", KEY), 405, "GET on a POST endpoint");
        expectError(get(server, "/v1/nothing", KEY), 404, "unknown path");
        assertEquals(200, get(server, "/v1/models", KEY).statusCode());
        expectError(get(server, "/index.php"), 404, "unknown page");  // "/" is the playground (PlaygroundTest)
        assertEquals(200, post(server, "/v1/completions", KEY, bytes(VALID)).statusCode());
        assertIdle();
    }

    @Test
    void hundredsOfMutatedAndTruncatedBodiesNeverHurtTheServer() throws Exception {
        Random random = new Random(16);
        byte[] valid = bytes(VALID);
        String chat = "{\"model\":\"" + MODEL_ID + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Who?\"}],\"max_tokens\":2}";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] body = (i % 2 == 0 ? valid : bytes(chat)).clone();
            String path = i % 2 == 0 ? "/v1/completions" : "/v1/chat/completions";
            switch (i % 3) {
                case 0 -> body = java.util.Arrays.copyOf(body, random.nextInt(body.length)); // truncated
                case 1 -> { for (int flips = 1 + random.nextInt(3); flips > 0; flips--) body[random.nextInt(body.length)] = (byte) random.nextInt(256); }
                default -> body = bytes(new String(body, StandardCharsets.ISO_8859_1).replace(":2", ":" + randomValue(random)));
            }
            HttpResponse<String> response = post(server, path, KEY, body);
            int status = response.statusCode();
            statuses.add(status);
            assertTrue(status == 200 || status == 400 || status == 404, "status " + status + " for " + new String(body, StandardCharsets.UTF_8));
            if (status != 200) expectError(response, status, new String(body, StandardCharsets.UTF_8));
        }
        assertTrue(statuses.stream().filter(s -> s == 400).count() >= 150, "most mutations are invalid: " + statuses);
        for (int i = 0; i < 30; i++) sendTruncatedOverTheWire(i);
        assertIdle();
    }

    private static String randomValue(Random random) {
        String[] values = {"-1", "\"x\"", "[]", "{}", "true", "1e9", "0.5", "null", "2", "999999999999", "\"\\ud800\""};
        return values[random.nextInt(values.length)];
    }

    /** A body shorter than its Content-Length, then the connection is closed: the server must shrug it off. */
    private static void sendTruncatedOverTheWire(int i) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] body = bytes(VALID);
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (body.length + 10 + i) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            in.readAllBytes(); // whatever it answers (or nothing), the connection ends
        }
    }

    private static void assertIdle() throws Exception {
        JsonNode health = Json.MAPPER.readTree(get(server, "/health").body());
        assertEquals("ok", health.path("status").asText());
        assertEquals(200, get(server, "/health").statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.openSessions() != 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(0, server.openSessions());
        assertEquals(0, TestServers.metric(server, "tfree4j_open_sessions"));
        assertEquals(0, TestServers.metric(server, "tfree4j_queue_length"));
    }

    private static void expectError(HttpResponse<String> response, int status, String what) throws Exception {
        assertEquals(status, response.statusCode(), what + " -> " + response.body());
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertTrue(error.path("message").isTextual(), "OpenAI error shape for " + what + ": " + response.body());
        assertTrue(error.has("type") && error.has("param") && error.has("code"), response.body());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
