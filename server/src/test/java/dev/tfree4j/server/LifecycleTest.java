package dev.tfree4j.server;

import static dev.tfree4j.server.TestServers.MODEL_ID;
import static dev.tfree4j.server.TestServers.get;
import static dev.tfree4j.server.TestServers.metric;
import static dev.tfree4j.server.TestServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.TFreeModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Loading, a full queue, a client that leaves mid-stream, and shutdown. */
class LifecycleTest {
    /** Long enough that the generation is still running while the test acts on it. */
    private static final String LONG_STREAM = "{\"model\":\"" + MODEL_ID + "\",\"prompt\":\"In the beginning\","
            + "\"max_tokens\":240,\"stream\":true,\"stop\":\"@@@never@@@\"}";
    private static final String SHORT = "{\"prompt\":\"In the beginning\",\"max_tokens\":2}";

    @Test
    void healthIs503WhileTheModelLoads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OpenAiServer server = OpenAiServer.start(ServerConfig.DEFAULT.withPort(0), MODEL_ID, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return TFreeModel.open(BundledModel.locate());
        });
        try {
            assertEquals(503, get(server, "/health").statusCode());
            HttpResponse<String> early = post(server, "/v1/completions", null, SHORT.getBytes(StandardCharsets.UTF_8));
            assertEquals(503, early.statusCode());
            assertEquals("1", early.headers().firstValue("Retry-After").orElseThrow());
            release.countDown();
            server.awaitReady(Duration.ofMinutes(2));
            assertEquals(200, get(server, "/health").statusCode());
            assertEquals(200, post(server, "/v1/completions", null, SHORT.getBytes(StandardCharsets.UTF_8)).statusCode());
        } finally {
            server.stop();
        }
    }

    @Test
    void aFullQueueGets429AndALeavingClientCancelsItsGeneration() throws Exception {
        OpenAiServer server = TestServers.start(ServerConfig.DEFAULT.withMaxBatch(1).withMaxQueue(0));
        try (Socket stream = openStream(server)) {
            // The only slot is generating for the open stream: another request finds the queue full.
            HttpResponse<String> refused = post(server, "/v1/completions", null, SHORT.getBytes(StandardCharsets.UTF_8));
            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(1, server.openSessions());
            stream.setSoLinger(true, 0); // close with a reset, as a killed client does
        }
        awaitNoSessions(server);
        assertEquals(1, metric(server, "tfree4j_cancelled_total"));
        assertTrue(metric(server, "tfree4j_generated_words_total") < 240, "the generation stopped early");
        assertEquals(200, post(server, "/v1/completions", null, SHORT.getBytes(StandardCharsets.UTF_8)).statusCode());
        server.stop();
    }

    @Test
    void stopEndsRunningStreamsWithinTheGracePeriodAndRefusesNewConnections() throws Exception {
        OpenAiServer server = TestServers.start(ServerConfig.DEFAULT.withShutdownGrace(Duration.ofSeconds(1)));
        int port = server.port();
        try (Socket stream = openStream(server)) {
            long start = System.nanoTime();
            server.stop();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "stop took too long");
            assertEquals(0, server.openSessions());
        }
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    /** A streaming request that has sent its first event; its generation is still running. */
    private static Socket openStream(OpenAiServer server) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout(30_000);
        byte[] body = LONG_STREAM.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String line = in.readLine();
        assertTrue(line.startsWith("HTTP/1.1 200"), line);
        while (!(line = in.readLine()).contains("data:")) {
            // headers and chunk sizes
        }
        return socket;
    }

    private static void awaitNoSessions(OpenAiServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.openSessions() != 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, server.openSessions());
    }
}
