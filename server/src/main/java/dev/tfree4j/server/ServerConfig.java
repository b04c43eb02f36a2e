package dev.tfree4j.server;

import java.time.Duration;

/**
 * How the server listens and how much work it takes on.
 *
 * @param host the address to bind (127.0.0.1 keeps it on this machine)
 * @param port the TCP port (0 = any free port, see {@link OpenAiServer#port()})
 * @param apiKey the bearer key every /v1 request must carry, or null for none
 * @param maxBatch how many requests generate at the same time
 * @param maxQueue how many more wait for a free slot before the server answers 429
 * @param maxWords the most words one request may generate (also the chat default)
 * @param maxBodyBytes the largest request body accepted (413 beyond)
 * @param shutdownGrace how long running requests may go on after a shutdown begins
 * @param batching continuous batching (default on): the running requests advance together, one
 *     batched forward per step ({@link dev.tfree4j.BatchGenerator}); each still answers exactly what
 *     it would alone. Off: each request runs its own forwards
 */
public record ServerConfig(String host, int port, String apiKey, int maxBatch, int maxQueue, int maxWords,
                           int maxBodyBytes, Duration shutdownGrace, boolean batching) {
    public static final ServerConfig DEFAULT = new ServerConfig("127.0.0.1", 8080, null, 4, 64, 512, 1 << 20,
            Duration.ofSeconds(10), true);

    public ServerConfig {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host is empty");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (apiKey != null && apiKey.isBlank()) throw new IllegalArgumentException("the API key is blank");
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
        if (maxQueue < 0) throw new IllegalArgumentException("maxQueue must be >= 0, got " + maxQueue);
        if (maxWords < 1) throw new IllegalArgumentException("maxWords must be >= 1, got " + maxWords);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("maxBodyBytes must be >= 1024, got " + maxBodyBytes);
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be >= 0, got " + shutdownGrace);
        }
    }

    public ServerConfig withHost(String v) { return new ServerConfig(v, port, apiKey, maxBatch, maxQueue, maxWords, maxBodyBytes, shutdownGrace, batching); }
    public ServerConfig withPort(int v) { return new ServerConfig(host, v, apiKey, maxBatch, maxQueue, maxWords, maxBodyBytes, shutdownGrace, batching); }
    public ServerConfig withApiKey(String v) { return new ServerConfig(host, port, v, maxBatch, maxQueue, maxWords, maxBodyBytes, shutdownGrace, batching); }
    public ServerConfig withMaxBatch(int v) { return new ServerConfig(host, port, apiKey, v, maxQueue, maxWords, maxBodyBytes, shutdownGrace, batching); }
    public ServerConfig withMaxQueue(int v) { return new ServerConfig(host, port, apiKey, maxBatch, v, maxWords, maxBodyBytes, shutdownGrace, batching); }
    public ServerConfig withMaxWords(int v) { return new ServerConfig(host, port, apiKey, maxBatch, maxQueue, v, maxBodyBytes, shutdownGrace, batching); }
    public ServerConfig withMaxBodyBytes(int v) { return new ServerConfig(host, port, apiKey, maxBatch, maxQueue, maxWords, v, shutdownGrace, batching); }
    public ServerConfig withShutdownGrace(Duration v) { return new ServerConfig(host, port, apiKey, maxBatch, maxQueue, maxWords, maxBodyBytes, v, batching); }
    public ServerConfig withBatching(boolean v) { return new ServerConfig(host, port, apiKey, maxBatch, maxQueue, maxWords, maxBodyBytes, shutdownGrace, v); }
}
