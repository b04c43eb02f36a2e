package dev.tfree4j.cli;

import dev.tfree4j.TFreeModel;
import dev.tfree4j.server.OpenAiServer;
import dev.tfree4j.server.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

/**
 * {@code tfree4j serve}: the model behind an OpenAI-compatible HTTP API ({@link OpenAiServer}).
 * It listens at once and loads the model in the background; SIGTERM or Ctrl-C stops it
 * gracefully (running requests get the grace period, then are cancelled) and it exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model over an OpenAI-compatible HTTP API (/v1/completions, /v1/chat/completions, /v1/models).")
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @ArgGroup(exclusive = true)
    ApiKey apiKey;

    static final class ApiKey {
        @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' on /v1 requests.")
        String key;

        @Option(names = "--api-key-file", paramLabel = "FILE", description = "As --api-key, the key read from FILE (kept out of the process list).")
        Path file;
    }

    @Option(names = "--max-batch", defaultValue = "4", description = "Requests generating at once (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-queue", defaultValue = "64", description = "Requests waiting beyond those; more get 429 (default ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--max-words", defaultValue = "512", description = "Words one request may generate at most (default ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--no-batching", description = "Turn continuous batching off: each request runs its own forwards"
            + " (the answers are the same either way; batching gives more words/s with several clients).")
    boolean noBatching;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "On SIGTERM, how long running requests may finish before they are cancelled (default ${DEFAULT-VALUE}).")
    int shutdownGrace;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = model.directory();
        ServerConfig config;
        try {
            config = ServerConfig.DEFAULT.withHost(host).withPort(port).withApiKey(key()).withMaxBatch(maxBatch)
                    .withMaxQueue(maxQueue).withMaxWords(maxWords).withShutdownGrace(Duration.ofSeconds(shutdownGrace))
                    .withBatching(!noBatching);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // The main thread waits for a stop signal, or for the model to fail loading.
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<RuntimeException> loadFailure = new AtomicReference<>();
        String modelId = dir.toAbsolutePath().normalize().getFileName().toString();
        OpenAiServer server = OpenAiServer.start(config, modelId, () -> {
            try {
                TFreeModel opened = TFreeModel.open(dir, model.options());
                err.println("tfree4j: model " + modelId + " loaded; ready");
                err.flush();
                return opened;
            } catch (RuntimeException e) {
                loadFailure.set(e);
                stop.countDown();
                throw e;
            }
        });
        // Handling the signals ourselves (instead of a shutdown hook) lets the stop end in exit 0.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        err.println("tfree4j: serving " + modelId + " at http://" + host + ":" + server.port() + "/v1 (loading the model)");
        err.flush();
        stop.await();
        err.println("tfree4j: stopping (grace period " + shutdownGrace + " s)");
        err.flush();
        server.stop();
        if (loadFailure.get() != null) throw loadFailure.get();
        err.println("tfree4j: stopped");
        err.flush();
        return 0;
    }

    private String key() throws IOException {
        if (apiKey == null) return null;
        if (apiKey.key != null) return apiKey.key;
        return Files.readString(apiKey.file, StandardCharsets.UTF_8).strip();
    }
}
