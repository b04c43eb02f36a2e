package dev.tfree4j.server;

import dev.tfree4j.BatchGenerator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** The server's counters, written as Prometheus text for {@code GET /metrics}. */
final class Metrics {
    /** Upper bounds of the time-to-first-word histogram's buckets, in seconds. */
    private static final double[] FIRST_WORD_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    /** Answered requests by "endpoint status". */
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder promptWords = new LongAdder();
    private final LongAdder generatedWords = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final AtomicLongArray firstWordCounts = new AtomicLongArray(FIRST_WORD_BUCKETS.length + 1);
    private final DoubleAdder firstWordSeconds = new DoubleAdder();

    void request(String endpoint, int status) {
        requests.computeIfAbsent(endpoint + " " + status, k -> new LongAdder()).increment();
    }

    void words(int prompt, int generated) {
        promptWords.add(prompt);
        generatedWords.add(generated);
    }

    /** A client went away mid-generation and its generation was stopped. */
    void cancelled() {
        cancelled.increment();
    }

    void timeToFirstWord(long nanos) {
        double seconds = nanos / 1e9;
        int bucket = 0;
        while (bucket < FIRST_WORD_BUCKETS.length && seconds > FIRST_WORD_BUCKETS[bucket]) bucket++;
        firstWordCounts.incrementAndGet(bucket);
        firstWordSeconds.add(seconds);
    }

    /** @param batch continuous batching's statistics, or null when it is off */
    String render(int queueLength, int openSessions, boolean ready, BatchGenerator.Stats batch) {
        StringBuilder out = new StringBuilder();
        header(out, "tfree4j_requests_total", "counter", "Requests answered, by endpoint and HTTP status.");
        new TreeMap<>(requests).forEach((key, count) -> {
            int space = key.lastIndexOf(' ');
            out.append("tfree4j_requests_total{endpoint=\"").append(key, 0, space).append("\",status=\"")
                    .append(key.substring(space + 1)).append("\"} ").append(count.sum()).append('\n');
        });
        metric(out, "tfree4j_prompt_words_total", "counter", "Prompt words (model units) of finished generations.", promptWords.sum());
        metric(out, "tfree4j_generated_words_total", "counter", "Words (model units) generated.", generatedWords.sum());
        metric(out, "tfree4j_cancelled_total", "counter", "Generations stopped because the client went away.", cancelled.sum());
        metric(out, "tfree4j_queue_length", "gauge", "Requests waiting for a generation slot.", queueLength);
        metric(out, "tfree4j_open_sessions", "gauge", "Generations running, each with its own KV cache.", openSessions);
        metric(out, "tfree4j_ready", "gauge", "1 when the model is loaded and requests are taken.", ready ? 1 : 0);
        header(out, "tfree4j_time_to_first_word_seconds", "histogram", "From a request's arrival (queue wait included) to its first generated word.");
        long cumulative = 0;
        for (int i = 0; i <= FIRST_WORD_BUCKETS.length; i++) {
            cumulative += firstWordCounts.get(i);
            String le = i < FIRST_WORD_BUCKETS.length ? Double.toString(FIRST_WORD_BUCKETS[i]) : "+Inf";
            out.append("tfree4j_time_to_first_word_seconds_bucket{le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append("tfree4j_time_to_first_word_seconds_sum ").append(firstWordSeconds.sum()).append('\n');
        out.append("tfree4j_time_to_first_word_seconds_count ").append(cumulative).append('\n');
        if (batch != null) {
            header(out, "tfree4j_batch_size", "histogram", "Sequences per batched forward step (continuous batching).");
            long steps = 0;
            for (int i = 0; i < batch.sizeCounts().length; i++) {
                steps += batch.sizeCounts()[i];
                String le = i < batch.sizeBuckets().length ? Integer.toString(batch.sizeBuckets()[i]) : "+Inf";
                out.append("tfree4j_batch_size_bucket{le=\"").append(le).append("\"} ").append(steps).append('\n');
            }
            out.append("tfree4j_batch_size_sum ").append(batch.forwards()).append('\n');
            out.append("tfree4j_batch_size_count ").append(steps).append('\n');
            metric(out, "tfree4j_batch_running", "gauge", "Generations in the batch now.", batch.running());
        }
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void metric(StringBuilder out, String name, String type, String help, long value) {
        header(out, name, type, help);
        out.append(name).append(' ').append(value).append('\n');
    }
}
