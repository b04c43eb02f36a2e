package dev.tfree4j;

import dev.tfree4j.decode.Decoder;
import dev.tfree4j.decode.Dictionary;
import dev.tfree4j.decode.EchoCompat;
import dev.tfree4j.decode.Sampler;
import dev.tfree4j.decode.WordChooser;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code generate} call (docs/spec/tfree.md §6.3) on a session that already holds the prompt: runs the
 * {@link GenerationLoop} with the options' chooser and stop rules, and collects what the result
 * reports (words, ids, logits rows, log-probs, echo, timings).
 */
final class Generation {
    private final LoadedModel model;
    private final GenerateOptions options;
    private final WordListener listener;

    // Results, filled as the generation goes.
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> tokenIds = new ArrayList<>();
    private final List<float[]> logitsRows = new ArrayList<>();
    private final List<List<Map.Entry<String, Float>>> logProbs = new ArrayList<>();

    private Generation(LoadedModel model, GenerateOptions options, WordListener listener) {
        this.model = model;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Generates on a fresh session sized for the prompt plus {@code maxWords}, its forwards run
     * through {@code steps} (null = on their own).
     */
    static GenerationResult generate(LoadedModel model, ModelGuard guard, String prompt, GenerateOptions options,
                                     WordListener listener, StepBatcher steps) {
        Dictionary dictionary = model.dictionary("generate");
        Encoding prompted = model.tokenizer().encode(prompt);
        int n = prompted.nWords();
        int maxPositions = model.config().sequenceLength();
        if (n == 0) throw new IllegalArgumentException("the prompt is empty (it has no words); give at least one word");
        if (n > maxPositions) {
            throw new IllegalArgumentException("the prompt has " + n + " words but the model's sequence_length is "
                    + maxPositions);
        }
        int capacity = (int) Math.min(maxPositions, (long) n + options.maxWords());
        long start = System.nanoTime();
        try (Session session = new Session(model, guard, capacity)) {
            session.forwardThrough(steps);
            AttentionControls controls = options.attentionControls();
            if (controls != null) {
                // One factor per cache position: the prompt words' factors, then 1 for every
                // generated word, so the same vector serves the prefill and every decode step.
                float[] factors = new float[capacity];
                java.util.Arrays.fill(factors, 1f);
                float[] promptFactors = controls.factors(prompted.spans(), prompt.length());
                System.arraycopy(promptFactors, 0, factors, 0, promptFactors.length);
                session.steer(factors, controls.mode());
            }
            MemorySegment prefill = session.feed(prompted, options.echo() ? 0 : 1);
            return new Generation(model, options, listener).decode(session, dictionary, prompt, prompted, prefill, start);
        }
    }

    /**
     * Generates on a session whose last forward was the prompt's prefill ({@code prefill}: its
     * logits, every row of the prompt when echoing, else the last). {@code prompt} is the text
     * the session holds (its words are extra candidates unless moreWords says otherwise).
     */
    static GenerationResult continueOn(Session session, LoadedModel model, String prompt, Encoding prompted,
                                       GenerateOptions options, WordListener listener, long start) {
        Dictionary dictionary = model.dictionary("chat");
        return new Generation(model, options, listener).decode(session, dictionary, prompt, prompted,
                session.nextLogitsRow(), start);
    }

    private GenerationResult decode(Session session, Dictionary dictionary, String prompt, Encoding prompted,
                                    MemorySegment prefill, long start) {
        String moreText = options.moreWords() == null || options.moreWords().isEmpty() ? prompt : options.moreWords();
        Sampler sampler = options.sampling() ? new Sampler(options.temperature(), options.topK(), options.topP(),
                options.repetitionPenalty(), options.seed()) : null;
        List<String> moreWords = WordSplitter.split(moreText);
        // Created under the close guard: the chooser's scorer for the extra words is native memory
        // made on the model's context, which a racing close() would otherwise free in between.
        try (WordChooser chooser = session.guard().call(() -> new WordChooser(model.context(), model.tokenizer(),
                dictionary, moreWords, options.wordEdgeWeight(), sampler, prompted.words()))) {
            if (options.echo()) echo(session.guard(), prompted, prefill, chooser.decoder());
            long prefillDone = System.nanoTime();
            GenerationResult.StopReason reason = GenerationLoop.run(session, chooser, StopRules.of(options,
                    model.tokenizer().config().endOfText()), options.maxWords(), new Cancellation(start, options.timeout()),
                    (word, index, row) -> {
                        append(word, index, row, options.logProbs() == null ? null
                                : chooser.decoder().logProbs(index, options.logProbs(), null));
                        return listener == null || listener.onWord(word, index, textDelta());
                    });
            long end = System.nanoTime();

            int[] ids = tokenIds.stream().mapToInt(Integer::intValue).toArray();
            long[] counts = tokens.stream().mapToLong(dictionary::trainingCount).toArray();
            long[] promptCounts = prompted.words().stream().mapToLong(dictionary::trainingCount).toArray();
            int generated = (int) tokenIds.stream().filter(i -> i >= 0).count();
            return new GenerationResult(WordSplitter.join(tokens), List.copyOf(tokens), ids, counts, promptCounts,
                    Collections.unmodifiableList(logitsRows), options.logProbs() == null ? null : List.copyOf(logProbs),
                    reason, new GenerationResult.Timings(prompted.nWords(), prefillDone - start, end - prefillDone, generated));
        }
    }

    /** Echo (docs/spec/tfree.md §6.3 step 3): the prompt's words first, each with the log-probs of its row. */
    private void echo(ModelGuard guard, Encoding prompted, MemorySegment logits, Decoder decoder) {
        int vocab = model.config().vocabSize();
        List<String> words = prompted.words();
        EchoCompat compat = options.echoReferenceCompat() && options.logProbs() != null && words.size() > 1
                ? guard.call(() -> new EchoCompat(model.context(), decoder, logits.asSlice(0, (long) vocab * Float.BYTES)))
                : null;
        for (int r = 0; r < words.size(); r++) {
            tokens.add(words.get(r));
            tokenIds.add(-1);
            if (r == 0) {
                logitsRows.add(null);
                logProbs.add(List.of());
                continue;
            }
            MemorySegment row = logits.asSlice((long) (r - 1) * vocab * Float.BYTES, (long) vocab * Float.BYTES);
            logitsRows.add(row.toArray(ValueLayout.JAVA_FLOAT));
            if (options.logProbs() == null) {
                logProbs.add(null);
                continue;
            }
            LinkedHashMap<String, Float> report;
            if (compat != null) {
                report = compat.logProbs(row, options.logProbs(), words.get(r));
            } else {
                int chosen = guard.call(() -> decoder.decode(row)).index();
                report = decoder.logProbs(chosen, options.logProbs(), words.get(r));
            }
            logProbs.add(Decoder.pairs(report));
        }
    }

    private void append(String word, int id, MemorySegment row, LinkedHashMap<String, Float> report) {
        tokens.add(word);
        tokenIds.add(id);
        logitsRows.add(row.toArray(ValueLayout.JAVA_FLOAT));
        logProbs.add(report == null ? null : Decoder.pairs(report));
    }

    /**
     * The text the last word added. words_to_text decides each space from one pair of neighbours
     * and expands each word on its own, so the new text is join(previous, last) minus
     * join(previous): constant work per word instead of rejoining the whole output.
     */
    private String textDelta() {
        String last = tokens.getLast();
        if (tokens.size() == 1) return WordSplitter.join(List.of(last));
        String previous = tokens.get(tokens.size() - 2);
        return WordSplitter.join(List.of(previous, last)).substring(WordSplitter.join(List.of(previous)).length());
    }
}
