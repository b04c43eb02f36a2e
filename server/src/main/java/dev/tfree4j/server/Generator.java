package dev.tfree4j.server;

import dev.tfree4j.BatchGenerator;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.StopSequences;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.WordListener;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs validated requests on the model. Each request generates on its own virtual thread with
 * its own session (KV cache), which the runtime frees when the generation ends, however it ends;
 * {@link Admission} bounds how many run at once. With continuous batching (the default) their
 * forwards run together through the model's {@link BatchGenerator}, one batched forward per step;
 * without, each generation runs its own. Either way a request answers what it would alone.
 */
final class Generator {
    private final TFreeModel model;
    private final String endOfText;
    private final Admission admission;
    private final Metrics metrics;
    /** The model's continuous batching, or null when it is off. */
    private final BatchGenerator batch;
    private final AtomicInteger openSessions = new AtomicInteger();

    Generator(TFreeModel model, Admission admission, Metrics metrics, BatchGenerator batch) {
        this.model = model;
        this.batch = batch;
        this.endOfText = model.tokenizer().config().endOfText();
        this.admission = admission;
        this.metrics = metrics;
    }

    /** Receives the completion's text as it is generated. */
    interface TextSink {
        /** @throws IOException when the client is gone: the generation stops */
        void text(String text) throws IOException;
    }

    /**
     * How a generation ended.
     *
     * @param text the text sent to the sink, in full (the prompt not included)
     * @param finishReason OpenAI's "stop" or "length"
     * @param clientGone the sink failed: the client disconnected and the generation was cancelled
     * @param result the runtime's result (words, log-probs, timings)
     */
    record Outcome(String text, String finishReason, boolean clientGone, GenerationResult result) {
        int promptWords() {
            return result.timings().promptWords();
        }

        int generatedWords() {
            return result.timings().generatedWords();
        }
    }

    /** A generation slot (429 when the queue is full); take it before answering a stream's headers. */
    Admission.Slot admit() {
        return admission.enter();
    }

    /**
     * Generates for {@code request} in a slot already taken, sending text to {@code sink} as it
     * comes. The model's end-of-text word ends the output without adding text.
     *
     * @param arrivedNanos when the request arrived ({@link System#nanoTime()}), for the time to first word
     * @throws ApiException 503 when the server's shutdown interrupted the generation
     */
    Outcome run(GenerationRequest request, long arrivedNanos, TextSink sink) {
        StopSequences stops = new StopSequences(request.stop());
        StringBuilder text = new StringBuilder();
        boolean[] clientGone = {false};
        boolean[] anyWord = {false};
        WordListener listener = (word, id, delta) -> {
            if (!anyWord[0]) {
                anyWord[0] = true;
                metrics.timeToFirstWord(System.nanoTime() - arrivedNanos);
            }
            if (word.equals(endOfText)) return true; // the stop rules end the loop after it
            clientGone[0] = !send(sink, text, stops.add(delta));
            return !clientGone[0] && !stops.stopped();
        };
        GenerationResult result;
        openSessions.incrementAndGet();
        try {
            result = batch != null ? batch.generate(request.prompt(), request.options(), listener)
                    : model.generate(request.prompt(), request.options(), listener);
        } finally {
            openSessions.decrementAndGet();
        }
        if (!clientGone[0]) clientGone[0] = !send(sink, text, stops.finish());
        metrics.words(result.timings().promptWords(), result.timings().generatedWords());
        if (clientGone[0]) {
            metrics.cancelled();
            return new Outcome(text.toString(), "stop", true, result);
        }
        String finishReason = switch (result.stopReason()) {
            case MAX_WORDS, CONTEXT_FULL -> "length";
            case END_OF_TEXT, STOP_WORD, EMPTY_WORD, LISTENER -> "stop";
            case TIMEOUT, INTERRUPTED -> throw Admission.shuttingDown();
        };
        return new Outcome(text.toString(), finishReason, false, result);
    }

    /** Generations running now; each holds one session (KV cache) until it ends. */
    int openSessions() {
        return openSessions.get();
    }

    /** Continuous batching's statistics, or null when it is off. */
    BatchGenerator.Stats batchStats() {
        return batch == null ? null : batch.stats();
    }

    /** Sends a piece of text; false when the client is gone. */
    private static boolean send(TextSink sink, StringBuilder text, String piece) {
        if (piece.isEmpty()) return true;
        text.append(piece);
        try {
            sink.text(piece);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
