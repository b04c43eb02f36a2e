package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tfree4j serve} as a real process: it comes up, answers with its key, and SIGTERM ends it with exit 0. */
class ServeCliTest {
    private static final Pattern LISTENING = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/v1");

    @Test
    void servesWithAKeyFileAndExitsZeroOnSigterm(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key");
        Files.writeString(keyFile, "secret-key\n");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-Dtfree4j.root=" + System.getProperty("tfree4j.root"), "-Dtfree4j.device=cpu",
                "-cp", System.getProperty("java.class.path"), "dev.tfree4j.cli.Main",
                "serve", "--port", "0", "--api-key-file", keyFile.toString(), "--shutdown-grace", "2"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            int port = -1;
            for (String line; port < 0 && (line = output.readLine()) != null; ) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) port = Integer.parseInt(m.group(1));
            }
            assertTrue(port > 0, "the server said where it listens");
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (http.send(HttpRequest.newBuilder(base.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode() != 200) {
                assertTrue(System.nanoTime() < deadline, "the model loads within 2 minutes");
                Thread.sleep(100);
            }
            HttpRequest completion = HttpRequest.newBuilder(base.resolve("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"In the beginning\",\"max_tokens\":3}")).build();
            assertEquals(401, http.send(completion, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpRequest withKey = HttpRequest.newBuilder(completion, (name, value) -> true)
                    .header("Authorization", "Bearer secret-key").build();
            assertEquals(200, http.send(withKey, HttpResponse.BodyHandlers.ofString()).statusCode());

            process.destroy(); // SIGTERM
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server stops within its grace period");
            assertEquals(0, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }
}
