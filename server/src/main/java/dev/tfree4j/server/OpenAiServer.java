package dev.tfree4j.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tfree4j.BatchGenerator;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.Json;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainJson;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * An OpenAI-compatible HTTP server for one model, on the JDK's {@code com.sun.net.httpserver}
 * with one virtual thread per exchange. It listens at once and loads the model in the background
 * ({@code /health} says 503 until it is ready), so an orchestrator sees it come up.
 * <pre>{@code
 * try (OpenAiServer server = OpenAiServer.start(ServerConfig.DEFAULT, "my-model", () -> TFreeModel.open(dir))) {
 *     server.awaitReady(Duration.ofMinutes(1));
 *     ...
 * }
 * }</pre>
 * The server owns the model it loads and closes it on {@link #stop()}.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenAiServer.class.getName());
    /** The paths /metrics labels by name; anything else counts as "other" so labels stay few. */
    private static final Set<String> ENDPOINTS = Set.of("/", "/health", "/metrics", "/v1/models", "/v1/completions",
            "/v1/chat/completions", "/v1/explain");

    private final ServerConfig config;
    private final String modelId;
    private final long created = System.currentTimeMillis() / 1000;
    private final HttpServer http;
    private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();
    private final Metrics metrics = new Metrics();
    private final Admission admission;
    private final CompletableFuture<TFreeModel> loading = new CompletableFuture<>();
    /** Set once the model is loaded; null while loading. */
    private volatile Generator generator;
    private volatile RequestParser parser;
    private volatile boolean stopping;

    private OpenAiServer(ServerConfig config, String modelId) throws IOException {
        this.config = config;
        this.modelId = modelId;
        this.admission = new Admission(config.maxBatch(), config.maxQueue());
        this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
        http.setExecutor(exchanges);
        http.createContext("/", this::handle);
    }

    /**
     * Binds the port and starts answering; the model loads on a background thread.
     *
     * @param modelId the name clients pass as "model"
     * @param loader opens the model (the server closes it on stop)
     * @throws UncheckedIOException when the address cannot be bound
     */
    public static OpenAiServer start(ServerConfig config, String modelId, Supplier<TFreeModel> loader) {
        OpenAiServer server;
        try {
            server = new OpenAiServer(config, modelId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        server.http.start();
        Thread.ofPlatform().name("tfree4j-model-loader").daemon().start(() -> server.load(loader));
        return server;
    }

    private void load(Supplier<TFreeModel> loader) {
        try {
            TFreeModel model = loader.get();
            if (!model.hasDictionary()) {
                model.close();
                throw new IllegalArgumentException("the model has no dictionary, so it cannot generate words");
            }
            parser = new RequestParser(model, modelId, config.maxWords(), ChatTemplate.INSTRUCT);
            generator = new Generator(model, admission, metrics,
                    config.batching() ? new BatchGenerator(model, config.maxBatch()) : null);
            loading.complete(model);
        } catch (RuntimeException | Error e) {
            loading.completeExceptionally(e);
        }
    }

    /**
     * Waits until the model is loaded.
     *
     * @throws IllegalStateException when loading failed (the cause says why) or took longer than {@code timeout}
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        try {
            loading.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the model did not load: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the model did not load within " + timeout);
        }
    }

    /** The port the server listens on (the chosen one when the config said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Generations running now; each holds a session (KV cache). 0 when idle: nothing leaked. */
    public int openSessions() {
        Generator g = generator;
        return g == null ? 0 : g.openSessions();
    }

    /**
     * Stops: refuses new requests, lets running ones finish for the configured grace period, then
     * cancels what is left (their generations see an interrupt between words), and closes the
     * model. Idempotent.
     */
    public synchronized void stop() {
        if (stopping) return;
        stopping = true;
        // Closes the listening socket at once; waits for running exchanges up to the grace period.
        http.stop((int) Math.max(0, Math.ceil(config.shutdownGrace().toMillis() / 1000.0)));
        exchanges.shutdownNow();
        try {
            if (!exchanges.awaitTermination(10, TimeUnit.SECONDS)) LOG.log(System.Logger.Level.WARNING, "requests still running at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loading.thenAccept(TFreeModel::close);
    }

    @Override
    public void close() {
        stop();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        int status;
        try (exchange) {
            status = answer(exchange, path);
        }
        String endpoint = ENDPOINTS.contains(path) ? path : path.startsWith("/v1/models/") ? "/v1/models/{id}" : "other";
        metrics.request(endpoint, status);
    }

    /** Answers the exchange (still open: the error paths write to it too) and returns the status sent. */
    private int answer(HttpExchange exchange, String path) {
        try {
            return route(exchange, path);
        } catch (ApiException e) {
            return sendError(exchange, e);
        } catch (IOException e) {
            return 499; // the client went away while the request was read or answered
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "request to " + path + " failed", e);
            return sendError(exchange, new ApiException(500, "server_error", null, null, "internal error", 0));
        }
    }

    private int route(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET");
                int status = stopping ? 503 : generator == null ? 503 : 200;
                String state = stopping ? "shutting down" : loading.isCompletedExceptionally() ? "failed" : generator == null ? "loading" : "ok";
                return send(exchange, status, Json.MAPPER.createObjectNode().put("status", state));
            }
            case "/" -> {
                // The playground page; it holds no secret (the API key is typed into it), so it needs none.
                requireMethod(method, "GET");
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, Playground.PAGE.length);
                exchange.getResponseBody().write(Playground.PAGE);
                return 200;
            }
            case "/metrics" -> {
                requireMethod(method, "GET");
                byte[] text = metrics.render(admission.queueLength(), openSessions(), generator != null && !stopping,
                        generator == null ? null : generator.batchStats())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, text.length);
                exchange.getResponseBody().write(text);
                return 200;
            }
            default -> {
                if (!path.startsWith("/v1/")) throw notFound(path);
                authorize(exchange);
                return routeApi(exchange, path, method);
            }
        }
    }

    private int routeApi(HttpExchange exchange, String path, String method) throws IOException {
        if (path.equals("/v1/models")) {
            requireMethod(method, "GET");
            return send(exchange, 200, OpenAiJson.modelList(modelId, created));
        }
        if (path.startsWith("/v1/models/")) {
            requireMethod(method, "GET");
            String id = path.substring("/v1/models/".length());
            if (!id.equals(modelId)) {
                throw new ApiException(404, "invalid_request_error", "model", "model_not_found", "the model '" + id + "' does not exist", 0);
            }
            return send(exchange, 200, OpenAiJson.model(modelId, created));
        }
        if (path.equals("/v1/explain")) return explain(exchange, method);
        boolean chat = path.equals("/v1/chat/completions");
        if (!chat && !path.equals("/v1/completions")) throw notFound(path);
        requireMethod(method, "POST");
        long arrived = System.nanoTime();
        Generator generation = requireReady();
        ObjectNode body = RequestParser.parseObject(readBody(exchange));
        GenerationRequest request = chat ? parser.chat(body) : parser.completion(body);
        OpenAiJson json = new OpenAiJson(chat ? "chatcmpl" : "cmpl", modelId);
        try (Admission.Slot slot = generation.admit()) {
            if (request.stream()) return stream(exchange, generation, request, arrived, json, chat);
            Generator.Outcome outcome = generation.run(request, arrived, piece -> {});
            if (chat) return send(exchange, 200, json.chatCompletion(outcome.text(), outcome, request.logprobs()));
            String text = request.echo() ? request.prompt() + outcome.text() : outcome.text();
            return send(exchange, 200, json.completion(text, outcome, request.logprobs()));
        }
    }

    /**
     * {@code POST /v1/explain}: AtMan in the hosted explain API's shape ({@link ExplainParser}),
     * answered with the JSON of {@code tfree4j explain --json} ({@link ExplainJson}). It takes a
     * generation slot: its suppressed forward passes load the model as a generation does.
     */
    private int explain(HttpExchange exchange, String method) throws IOException {
        requireMethod(method, "POST");
        requireReady();
        ExplainParser.Parsed parsed = new ExplainParser(parser).explain(RequestParser.parseObject(readBody(exchange)));
        ExplainResult result;
        try (Admission.Slot slot = admission.enter()) {
            TFreeModel model = loading.join();
            ExplainRequest.Builder request = parsed.request();
            if (parsed.generate() != null) {
                // The target is the model's own continuation, as words (the safe form: no seam to re-split).
                List<String> words = model.generate(parsed.prompt(), parsed.generate()).tokens();
                if (words.isEmpty()) throw ApiException.invalid(null, "the model generated no words to explain");
                request.targetWords(words);
            }
            result = model.explain(request.build());
        } catch (IllegalArgumentException e) {
            // What only the split can tell: a target whose joint split with the prompt moves the seam,
            // prompt + target longer than the context.
            throw ApiException.invalid(null, e.getMessage());
        }
        return send(exchange, 200, ExplainJson.toMap(result));
    }

    /** Server-sent events: one chunk per piece of text, a last chunk with the finish reason, then [DONE]. */
    private int stream(HttpExchange exchange, Generator generation, GenerationRequest request, long arrived,
                       OpenAiJson json, boolean chat) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        if (chat) event(out, json.chatChunk(OpenAiJson.delta().put("role", "assistant").put("content", ""), null));
        if (request.echo()) event(out, json.completionChunk(request.prompt(), null));
        Generator.Outcome outcome;
        try {
            outcome = generation.run(request, arrived, piece -> event(out, chat
                    ? json.chatChunk(OpenAiJson.delta().put("content", piece), null)
                    : json.completionChunk(piece, null)));
        } catch (ApiException e) {
            // Headers are sent: the error can only travel as an event.
            event(out, e.toJson());
            return 200;
        }
        if (outcome.clientGone()) return 499;
        event(out, chat ? json.chatChunk(OpenAiJson.delta(), outcome.finishReason()) : json.completionChunk("", outcome.finishReason()));
        if (request.includeUsage()) event(out, json.usageChunk(chat ? "chat.completion.chunk" : "text_completion", outcome));
        write(out, "data: [DONE]\n\n");
        return 200;
    }

    private static void event(OutputStream out, Object data) throws IOException {
        write(out, "data: " + Json.write(data) + "\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush(); // each event leaves at once: this is also how a gone client is noticed
    }

    private Generator requireReady() {
        if (stopping) throw Admission.shuttingDown();
        Generator g = generator;
        if (g == null) {
            throw new ApiException(503, "server_error", null, "model_loading", "the model is still loading",
                    Admission.RETRY_AFTER_SECONDS);
        }
        return g;
    }

    /** With an API key set, every /v1 request carries it as "Authorization: Bearer KEY". */
    private void authorize(HttpExchange exchange) {
        if (config.apiKey() == null) return;
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + config.apiKey()).getBytes(StandardCharsets.UTF_8);
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        // Constant-time: the comparison's duration tells nothing about how much of a guess was right.
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key",
                    "missing or wrong API key (send Authorization: Bearer KEY)", 0);
        }
    }

    /** The body, at most maxBodyBytes (413 beyond, decided from Content-Length when it is given). */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw ApiException.invalid(null, "Content-Length is not a number");
            }
            if (declared > config.maxBodyBytes()) throw tooLarge();
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
            if (body.length > config.maxBodyBytes()) throw tooLarge();
            return body;
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "invalid_request_error", null, "request_too_large",
                "the body is larger than " + config.maxBodyBytes() + " bytes", 0);
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed", method + " is not allowed here; use " + allowed, 0);
        }
    }

    private static ApiException notFound(String path) {
        return new ApiException(404, "invalid_request_error", null, "not_found", "no endpoint " + path, 0);
    }

    private static int sendError(HttpExchange exchange, ApiException e) {
        if (e.retryAfterSeconds > 0) exchange.getResponseHeaders().set("Retry-After", Integer.toString(e.retryAfterSeconds));
        if (e.status == 401) exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        try {
            return send(exchange, e.status, e.toJson());
        } catch (IOException | RuntimeException gone) {
            return e.status; // the client is gone or the response had started; nothing more to tell it
        }
    }

    private static int send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        return status;
    }
}
