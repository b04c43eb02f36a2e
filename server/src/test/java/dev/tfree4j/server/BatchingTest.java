package dev.tfree4j.server;

import static dev.tfree4j.server.TestServers.get;
import static dev.tfree4j.server.TestServers.metric;
import static dev.tfree4j.server.TestServers.post;
import static dev.tfree4j.server.TestServers.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.Json;
import dev.tfree4j.TFreeModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching through the server: concurrent requests (greedy and seeded, completions and
 * chat, streamed and whole) answer exactly what {@link TFreeModel#generate} gives each alone, at
 * --max-batch 1 and above; a client that leaves mid-stream frees its place in the batch; a fuzzed
 * flood of bad bodies while streams run leaves the server healthy and idle.
 */
class BatchingTest {
    private static final List<String> PROMPTS = List.of("In the beginning God created", "And the earth was",
            "And God said, Let there be", "The LORD is my shepherd", "Blessed are the", "And Moses spake unto",
            "Now these are the generations of the sons of Noah, Shem, Ham, and Japheth");
    private static final int WORDS = 24;

    private static TFreeModel model;

    @BeforeAll
    static void open() {
        model = TFreeModel.open(BundledModel.locate());
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    /** Request i: completion or chat, streamed or not, greedy or seeded, with its own prompt and length. */
    private record Request(int i) {
        boolean chat() { return i % 4 >= 2; }
        boolean stream() { return i % 3 == 1; }
        boolean seeded() { return i % 2 == 1; }
        int words() { return WORDS - (i % 5) * 3; }
        String text() { return PROMPTS.get(i % PROMPTS.size()); }

        String prompt() {
            ChatTemplate t = ChatTemplate.INSTRUCT;
            return chat() ? t.begin() + t.userHeader() + text() + t.endOfTurn() + t.assistantHeader() : text();
        }

        GenerateOptions options() {
            GenerateOptions.Builder options = GenerateOptions.builder().maxWords(words());
            if (seeded()) options.temperature(0.1f).topK(40).seed(1000 + i);
            return options.build();
        }

        String body() {
            String sampling = seeded() ? ",\"temperature\":0.1,\"top_k\":40,\"seed\":" + (1000 + i) : "";
            String input = chat() ? "\"messages\":[{\"role\":\"user\",\"content\":" + Json.write(text()) + "}]"
                    : "\"prompt\":" + Json.write(text());
            return "{" + input + ",\"max_tokens\":" + words() + sampling + (stream() ? ",\"stream\":true" : "") + "}";
        }

        String path() { return chat() ? "/v1/chat/completions" : "/v1/completions"; }
    }

    @ParameterizedTest(name = "max-batch {0}")
    @ValueSource(ints = {1, 4, 8})
    void concurrentRequestsAnswerWhatEachGivesAlone(int maxBatch) throws Exception {
        int requests = maxBatch == 1 ? 6 : 16;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < requests; i++) expected.add(reference(model, new Request(i).prompt(), new Request(i).options()));
        OpenAiServer server = TestServers.start(ServerConfig.DEFAULT.withMaxBatch(maxBatch).withMaxQueue(32));
        try {
            List<String> answers = new ArrayList<>();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> pending = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    Request r = new Request(i);
                    pending.add(clients.submit(() -> answer(server, r)));
                }
                for (Future<String> answer : pending) answers.add(answer.get());
            }
            assertEquals(expected, answers);
            String metrics = get(server, "/metrics").body();
            long steps = metric(server, "tfree4j_batch_size_count");
            long forwards = metric(server, "tfree4j_batch_size_sum");
            assertTrue(steps > 0 && forwards >= steps, metrics);
            if (maxBatch > 1) assertTrue(forwards > steps, "some steps held several sequences: " + forwards + " in " + steps);
            else assertEquals(forwards, steps, "max-batch 1 runs one sequence per step");
            assertTrue(metrics.contains("tfree4j_batch_size_bucket{le=\"+Inf\"} " + steps), metrics);
            awaitIdle(server);
        } finally {
            server.stop();
        }
    }

    @Test
    void batchingOffAnswersTheSame() throws Exception {
        OpenAiServer server = TestServers.start(ServerConfig.DEFAULT.withBatching(false));
        try {
            Request r = new Request(3);
            assertEquals(reference(model, r.prompt(), r.options()), answer(server, r));
            assertTrue(!get(server, "/metrics").body().contains("tfree4j_batch_size"), "no batch metrics without batching");
        } finally {
            server.stop();
        }
    }

    @Test
    void aClientLeavingMidStreamFreesItsPlaceInTheBatch() throws Exception {
        OpenAiServer server = TestServers.start(ServerConfig.DEFAULT.withMaxBatch(2).withMaxQueue(4));
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            Request r = new Request(4);
            Future<String> other = clients.submit(() -> answer(server, r));
            try (Socket stream = openLongStream(server)) {
                stream.setSoLinger(true, 0); // a reset, as a killed client leaves
            }
            assertEquals(reference(model, r.prompt(), r.options()), other.get());
            awaitIdle(server);
            assertEquals(1, metric(server, "tfree4j_cancelled_total"));
            assertEquals(0, metric(server, "tfree4j_batch_running"));
            // Both places are free again: two requests run together.
            Future<String> a = clients.submit(() -> answer(server, new Request(0)));
            Future<String> b = clients.submit(() -> answer(server, new Request(1)));
            assertEquals(reference(model, new Request(0).prompt(), new Request(0).options()), a.get());
            assertEquals(reference(model, new Request(1).prompt(), new Request(1).options()), b.get());
        } finally {
            server.stop();
        }
    }

    /**
     * Hundreds of malformed, oversized and truncated bodies (fixed seed), sent while valid streams
     * are being batched: none kills the server or leaks a place; afterwards /health is 200, the
     * batch and the queue are empty, and a normal request answers what generate gives.
     */
    @Test
    void fuzzedBodiesDuringBatchedStreamsLeaveTheServerIdle() throws Exception {
        int maxBody = 8 * 1024;
        OpenAiServer server = TestServers.start(ServerConfig.DEFAULT.withMaxBatch(4).withMaxQueue(64)
                .withMaxWords(64).withMaxBodyBytes(maxBody));
        Random random = new Random(1616);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            byte[] valid = new Request(i).body().getBytes(StandardCharsets.UTF_8);
            bodies.add(switch (i % 8) {
                case 0 -> Arrays.copyOf(valid, random.nextInt(valid.length)); // truncated
                case 1 -> { // bytes flipped (also into invalid UTF-8)
                    byte[] b = valid.clone();
                    for (int f = 1 + random.nextInt(4); f > 0; f--) b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                    yield b;
                }
                case 2 -> { // random bytes
                    byte[] b = new byte[random.nextInt(300)];
                    random.nextBytes(b);
                    yield b;
                }
                case 3 -> ("{\"prompt\":\"" + "x ".repeat(maxBody) + "\"}").getBytes(StandardCharsets.UTF_8); // oversized
                case 4 -> ("[".repeat(1 + random.nextInt(5000))).getBytes(StandardCharsets.UTF_8); // deep nesting
                case 5 -> new String(valid, StandardCharsets.UTF_8).replace("\"max_tokens\":",
                        "\"max_tokens\":" + List.of("-", "1e99", "\"8\"", "[]", "99999999999999999999").get(random.nextInt(5)) + ",\"x\":")
                        .getBytes(StandardCharsets.UTF_8);
                case 6 -> ("{\"prompt\":" + List.of("null", "7", "{}", "\"\"", "\"\\ud800\"", "[\"a\",\"b\"]").get(random.nextInt(6))
                        + ",\"max_tokens\":2}").getBytes(StandardCharsets.UTF_8);
                default -> "{\"prompt\":\"In the beginning\",\"max_tokens\":2}".getBytes(StandardCharsets.UTF_8); // valid
            });
        }
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> streams = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Request r = new Request(i * 3 + 1);
                streams.add(clients.submit(() -> answer(server, r)));
            }
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < bodies.size(); i++) {
                byte[] body = bodies.get(i);
                String path = i % 2 == 0 ? "/v1/completions" : "/v1/chat/completions";
                statuses.add(clients.submit(() -> post(server, path, null, body).statusCode()));
                if (i % 50 == 0) clients.submit(() -> truncatedOverTheWire(server));
            }
            for (Future<Integer> status : statuses) {
                int s = status.get();
                assertTrue(s == 200 || s == 400 || s == 413 || s == 429, "status " + s);
            }
            for (int i = 0; i < streams.size(); i++) {
                Request r = new Request(i * 3 + 1);
                assertEquals(reference(model, r.prompt(), r.options()), streams.get(i).get());
            }
        }
        awaitIdle(server);
        assertEquals(200, get(server, "/health").statusCode());
        assertEquals(0, metric(server, "tfree4j_queue_length"));
        Request normal = new Request(5);
        assertEquals(reference(model, normal.prompt(), normal.options()), answer(server, normal));
        server.stop();
    }

    /** The generated text of a request: the whole answer's, or the concatenated stream's deltas. */
    static String answer(OpenAiServer server, Request r) throws Exception {
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        if (!r.stream()) {
            HttpResponse<String> response = post(server, r.path(), null, body);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode choice = Json.MAPPER.readTree(response.body()).path("choices").path(0);
            return r.chat() ? choice.path("message").path("content").asText() : choice.path("text").asText();
        }
        HttpRequest request = HttpRequest.newBuilder(TestServers.uri(server, r.path())).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<java.util.stream.Stream<String>> response = TestServers.HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        StringBuilder text = new StringBuilder();
        boolean done = false;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (!line.startsWith("data: ")) continue;
            String data = line.substring(6);
            if (data.equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode choice = Json.MAPPER.readTree(data).path("choices").path(0);
            text.append(r.chat() ? choice.path("delta").path("content").asText("") : choice.path("text").asText(""));
        }
        assertTrue(done, "the stream ends with [DONE]");
        return text.toString();
    }

    /** A streaming request that has received its first event; its generation is still running. */
    private static Socket openLongStream(OpenAiServer server) throws Exception {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        byte[] body = ("{\"prompt\":\"In the beginning\",\"max_tokens\":240,\"stream\":true,\"stop\":\"@@@never@@@\"}")
                .getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        assertTrue(line.startsWith("HTTP/1.1 200"), line);
        while (!(line = in.readLine()).contains("data:")) {
            // headers and chunk sizes
        }
        return socket;
    }

    /** Half a body, then the connection closes. */
    private static Void truncatedOverTheWire(OpenAiServer server) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            byte[] body = new Request(0).body().getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                    + (body.length + 10) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes();
        }
        return null;
    }

    private static void awaitIdle(OpenAiServer server) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((server.openSessions() != 0 || metric(server, "tfree4j_batch_running") != 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, server.openSessions());
        assertEquals(0, metric(server, "tfree4j_open_sessions"));
        assertEquals(0, metric(server, "tfree4j_batch_running"));
        assertEquals(0, metric(server, "tfree4j_queue_length"));
    }
}
