package dev.tfree4j;

import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.decode.Dictionary;
import dev.tfree4j.decode.EchoCompat;
import dev.tfree4j.decode.Sampler;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.engine.NativeModel;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of {@code generate} (spec §6.3): prefill the prompt, then decode word by word on a
 * KV cache. Owns the native memory of the run (cache, buffers, extra candidates) and frees it
 * when done.
 */
final class Generation implements AutoCloseable {
    private final LoadedModel model;
    private final NativeContext context;
    private final GenerateOptions options;
    private final ModelGuard guard;
    private final Arena arena = Arena.ofConfined();
    private final int vocab;
    private final int hidden;

    // Results, filled as the generation goes.
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> tokenIds = new ArrayList<>();
    private final List<float[]> logitsRows = new ArrayList<>();
    private final List<List<Map.Entry<String, Float>>> logProbs = new ArrayList<>();

    Generation(LoadedModel model, NativeContext context, GenerateOptions options, ModelGuard guard) {
        this.model = model;
        this.context = context;
        this.options = options;
        this.guard = guard;
        NativeModel.Shape shape = model.nativeModel().shape();
        this.vocab = shape.vocabSize();
        this.hidden = shape.hiddenSize();
    }

    GenerationResult run(String prompt, WordListener listener) {
        Encoding prompted = model.tokenizer().encode(prompt);
        int n = prompted.nWords();
        int maxPositions = model.config().sequenceLength();
        if (n == 0) throw new IllegalArgumentException("the prompt is empty (it has no words); give at least one word");
        if (n > maxPositions) {
            throw new IllegalArgumentException("the prompt has " + n + " words but the model's sequence_length is "
                    + maxPositions);
        }
        String moreText = options.moreWords() == null || options.moreWords().isEmpty() ? prompt : options.moreWords();
        Dictionary dictionary = model.dictionary();
        int capacity = (int) Math.min(maxPositions, (long) n + options.maxWords());

        long start = System.nanoTime();
        Cancellation cancel = new Cancellation(start, options.timeout());
        try (CandidateSet candidates = new CandidateSet(context, model.tokenizer(), dictionary, WordSplitter.split(moreText));
             Decoder decoder = new Decoder(context, candidates, vocab, model.tokenizer().config().vocabPopulation(),
                     options.wordEdgeWeight());
             KvCache cache = guard.call(() -> model.nativeModel().newCache(capacity))) {

            boolean wantAllRows = options.echo();
            MemorySegment keyControl = keyControl(prompt, prompted, capacity);
            KvCache.ForwardOptions prefillHow = steered(wantAllRows ? KvCache.ForwardOptions.ALL_LOGITS
                    : KvCache.ForwardOptions.LAST_LOGITS, keyControl);
            KvCache.ForwardOptions stepHow = steered(KvCache.ForwardOptions.LAST_LOGITS, keyControl);
            MemorySegment logits = arena.allocate(ValueLayout.JAVA_FLOAT, (long) (wantAllRows ? n : 1) * vocab);
            forward(cache, prompted, prefillHow, logits);
            MemorySegment lastRow = logits.asSlice((long) (wantAllRows ? n - 1 : 0) * vocab * Float.BYTES, (long) vocab * Float.BYTES);
            if (options.echo()) echo(prompted, logits, decoder);
            long prefillDone = System.nanoTime();

            Sampler sampler = options.sampling() ? new Sampler(options.temperature(), options.topK(), options.topP(),
                    options.repetitionPenalty(), options.seed()) : null;
            // Candidates the repetition penalty applies to: the prompt's words and every word generated.
            Set<Integer> seen = new HashSet<>();
            for (String w : prompted.words()) {
                int i = candidates.indexOf(w);
                if (i >= 0) seen.add(i);
            }
            GenerationResult.StopReason reason = GenerationResult.StopReason.MAX_WORDS;
            String endOfText = model.tokenizer().config().endOfText();
            MemorySegment stepLogits = arena.allocate(ValueLayout.JAVA_FLOAT, vocab);
            for (int step = 0; step < options.maxWords(); step++) {
                GenerationResult.StopReason cancelled = cancel.check();
                if (cancelled != null) { reason = cancelled; break; }
                if (step > 0) {
                    String last = tokens.getLast();
                    if (last.isEmpty()) { reason = GenerationResult.StopReason.EMPTY_WORD; break; }
                    Encoding next = model.tokenizer().encode(last);
                    if (cache.length() + next.nWords() > capacity) { reason = GenerationResult.StopReason.CONTEXT_FULL; break; }
                    forward(cache, next, stepHow, stepLogits);
                    lastRow = stepLogits;
                }
                MemorySegment row = lastRow;
                int chosen = guard.call(() -> decoder.decode(row)).index();
                if (sampler != null) {
                    chosen = sampler.sample(decoder.lastScores(), candidates.size(), seen);
                }
                String word = candidates.word(chosen);
                seen.add(chosen);
                append(word, chosen, lastRow,
                        options.logProbs() == null ? null : decoder.logProbs(chosen, options.logProbs(), null));
                if (listener != null && !listener.onWord(word, chosen, textDelta())) {
                    reason = GenerationResult.StopReason.LISTENER;
                    break;
                }
                if (word.equals(endOfText) && (step == 0 || options.abortOnEndOfText())) {
                    reason = GenerationResult.StopReason.END_OF_TEXT;
                    break;
                }
                if (options.stopWords().contains(word)) { reason = GenerationResult.StopReason.STOP_WORD; break; }
            }
            long end = System.nanoTime();

            int[] ids = tokenIds.stream().mapToInt(Integer::intValue).toArray();
            long[] counts = tokens.stream().mapToLong(dictionary::trainingCount).toArray();
            long[] promptCounts = prompted.words().stream().mapToLong(dictionary::trainingCount).toArray();
            int generated = (int) tokenIds.stream().filter(i -> i >= 0).count();
            return new GenerationResult(WordSplitter.join(tokens), List.copyOf(tokens), ids, counts, promptCounts,
                    java.util.Collections.unmodifiableList(logitsRows), options.logProbs() == null ? null : List.copyOf(logProbs),
                    reason, new GenerationResult.Timings(n, prefillDone - start, end - prefillDone, generated));
        }
    }

    /**
     * The attention controls (steering) as one factor per cache position, or null without
     * controls: the prompt words' factors, then 1 for every generated word, so the same vector
     * serves the prefill and every decode step (the kernel reads the first cache-length entries).
     */
    private MemorySegment keyControl(String prompt, Encoding prompted, int capacity) {
        AttentionControls controls = options.attentionControls();
        if (controls == null) return null;
        float[] promptFactors = controls.factors(prompted.spans(), prompt.length());
        float[] all = new float[capacity];
        java.util.Arrays.fill(all, 1f);
        System.arraycopy(promptFactors, 0, all, 0, promptFactors.length);
        return arena.allocateFrom(ValueLayout.JAVA_FLOAT, all);
    }

    /** {@code how} with the key controls in the generation's control mode (unchanged without). */
    private KvCache.ForwardOptions steered(KvCache.ForwardOptions how, MemorySegment keyControl) {
        if (keyControl == null) return how;
        KvCache.ControlMode mode = KvCache.ControlMode.valueOf(options.attentionControls().mode().name());
        return new KvCache.ForwardOptions(keyControl, mode, null, null, null, how.logitsRows());
    }

    /** Embeds the encoding's words and runs them through the model on top of the cache. */
    private void forward(KvCache cache, Encoding enc, KvCache.ForwardOptions how, MemorySegment logits) {
        try (Arena step = Arena.ofConfined()) {
            MemorySegment embeddings = step.allocate(ValueLayout.JAVA_FLOAT, (long) enc.nWords() * hidden);
            guard.run(() -> {
                model.embed(enc, embeddings);
                cache.forward(embeddings, enc.nWords(), how, logits);
            });
        }
    }

    /** Echo (spec §6.3 step 3): the prompt's words first, each with the log-probs of its row. */
    private void echo(Encoding prompted, MemorySegment logits, Decoder decoder) {
        List<String> words = prompted.words();
        EchoCompat compat = options.echoReferenceCompat() && options.logProbs() != null && words.size() > 1
                ? guard.call(() -> new EchoCompat(context, decoder, logits.asSlice(0, (long) vocab * Float.BYTES)))
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

    @Override
    public void close() {
        arena.close();
    }
}
