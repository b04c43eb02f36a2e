package dev.tfree4j.server;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Servers on loopback with the bundled model, and the plain HTTP calls the tests make. */
final class TestServers {
    static final String MODEL_ID = BundledModel.NAME;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServers() {}

    /** A server on 127.0.0.1 and a free port, ready. */
    static OpenAiServer start(ServerConfig config) throws InterruptedException {
        OpenAiServer server = OpenAiServer.start(config.withHost("127.0.0.1").withPort(0), MODEL_ID,
                () -> TFreeModel.open(BundledModel.locate()));
        server.awaitReady(Duration.ofMinutes(2));
        return server;
    }

    static URI uri(OpenAiServer server, String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    static HttpResponse<String> get(OpenAiServer server, String path) throws IOException, InterruptedException {
        return get(server, path, null);
    }

    static HttpResponse<String> get(OpenAiServer server, String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) request.header("Authorization", "Bearer " + key);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(OpenAiServer server, String path, String key, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) request.header("Authorization", "Bearer " + key);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What {@link TFreeModel#generate} gives for the prompt, as the server returns it: the text of
     * the generated words, without the end-of-text word.
     */
    static String reference(TFreeModel model, String prompt, GenerateOptions options) {
        String endOfText = model.tokenizer().config().endOfText();
        StringBuilder text = new StringBuilder();
        model.generate(prompt, options, (word, id, piece) -> {
            if (!word.equals(endOfText)) text.append(piece);
            return true;
        });
        return text.toString();
    }

    /** The value of an unlabelled metric in /metrics. */
    static long metric(OpenAiServer server, String name) throws IOException, InterruptedException {
        for (String line : get(server, "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) return (long) Double.parseDouble(line.substring(name.length() + 1));
        }
        throw new AssertionError("no metric " + name);
    }
}
