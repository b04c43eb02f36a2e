package dev.tfree4j;

import dev.tfree4j.engine.KvCache;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One sequence on a model, driven step by step: it owns the sequence's KV cache. Feed the
 * prompt ({@link #prefill}), read the distribution over the next unit ({@link #nextLogits}),
 * feed the chosen (or a forced) unit ({@link #accept}), and so on; {@link #close()} frees the
 * cache at once. For a T-FREE model a unit is a word: its logits row is the sigmoid logits of
 * the vocabulary rows the next word activates, which a dictionary turns into word scores.
 * <pre>{@code
 * try (Session s = model.newSession()) {
 *     s.prefill("In the beginning");
 *     float[] next = s.nextLogits();   // [vocab]
 *     s.accept("God");                  // one step on top of the cache
 * }
 * }</pre>
 * Every caller that runs the model (generate, chat, logits, eval, divergence, explain) does it
 * through a session, so embed → forward exists once. A session is not thread-safe: one sequence,
 * one thread at a time. It fails with {@link IllegalStateException} once its model is closed.
 */
public final class Session implements AutoCloseable {
    private static final KvCache.ForwardOptions UNSTEERED = KvCache.ForwardOptions.ALL_LOGITS;

    private final LoadedModel model;
    private final ModelGuard guard;
    private final KvCache cache;
    private final Arena arena = Arena.ofShared();
    private final int vocab;
    private final int hidden;
    /** The words in the cache, one entry per position, in order. */
    private final List<String> units = new ArrayList<>();
    /** The AtMan key controls of every forward ({@link #steer}); the logits rows are set per forward. */
    private KvCache.ForwardOptions steering = UNSTEERED;
    /** Where forwards run: null = each on its own; else batched with other sessions' (BatchGenerator). */
    private StepBatcher steps;
    private MemorySegment embeddings = MemorySegment.NULL;
    private MemorySegment logits = MemorySegment.NULL;
    /** The logits of the last forward: [rows × vocab], the last row is the next unit's. */
    private MemorySegment lastLogits;
    private long forwardedPositions;

    Session(LoadedModel model, ModelGuard guard, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a session needs a capacity of at least 1 position, got " + capacity);
        this.model = model;
        this.guard = guard;
        this.vocab = model.config().vocabSize();
        this.hidden = model.config().hiddenSize();
        this.cache = guard.call(() -> model.nativeModel().newCache(capacity));
    }

    /** Positions this session can hold (at most the model's sequence_length). */
    public int capacity() {
        return cache.capacity();
    }

    /** Positions in the cache so far. */
    public int length() {
        return units.size();
    }

    /** The units (words) in the cache, one per position. */
    public List<String> units() {
        return List.copyOf(units);
    }

    /**
     * Positions run through the model over this session's life (a prefill of n words counts n,
     * a step 1; positions dropped by {@link #truncate} and fed again count again).
     */
    public long forwardedPositions() {
        return forwardedPositions;
    }

    /**
     * Encodes {@code text} and runs its words on top of the cache.
     *
     * @throws IllegalArgumentException when the text has no words or does not fit the capacity
     */
    public void prefill(String text) {
        if (text == null) throw new IllegalArgumentException("text is null");
        TextInput.requireFits("text", text, Math.max(0, capacity() - length()));
        TextInput.requireWellFormed("text", text);
        feed(model.tokenizer().encode(text), 1);
    }

    /**
     * Runs one unit (a word: the chosen one or a forced one) on top of the cache, re-encoded as
     * generation feeds its words (a word that splits into several feeds each of them).
     */
    public void accept(String word) {
        if (word == null) throw new IllegalArgumentException("word is null");
        Encoding enc = model.tokenizer().encode(word);
        if (enc.nWords() == 0) throw new IllegalArgumentException("the word '" + word + "' has no letters the model sees");
        feed(enc, 1);
    }

    /** The logits of the next unit after what the cache holds: [vocab] values. */
    public float[] nextLogits() {
        return nextLogitsRow().toArray(ValueLayout.JAVA_FLOAT);
    }

    /** Forgets every position from {@code length} on (e.g. to re-feed a changed conversation tail). */
    public void truncate(int length) {
        if (length < 0 || length > units.size()) {
            throw new IllegalArgumentException("truncate to " + length + " of " + units.size() + " positions");
        }
        guard.run(() -> cache.truncate(length));
        units.subList(length, units.size()).clear();
        lastLogits = null;
    }

    /** The units (words) and vocab rows this session's model feeds for a text. */
    public Encoding encode(String text) {
        return model.tokenizer().encode(text);
    }

    // ---- the low level the runtime's callers share (generation, eval, divergence, explain) ----

    /** The last forward's logits row of the next unit, valid until the next forward. */
    MemorySegment nextLogitsRow() {
        if (lastLogits == null) throw new IllegalStateException("nothing was fed since the session started or was truncated");
        long rowBytes = (long) vocab * Float.BYTES;
        return lastLogits.asSlice(lastLogits.byteSize() - rowBytes, rowBytes);
    }

    /**
     * Steers every following forward with AtMan key controls (generate's attention controls):
     * one factor per cache position ({@code factors.length >= capacity}), in every layer. Null
     * factors switch steering off.
     */
    void steer(float[] factors, ControlMode mode) {
        if (factors == null) {
            steering = UNSTEERED;
            return;
        }
        if (factors.length < capacity()) {
            throw new IllegalArgumentException(factors.length + " control factors for " + capacity() + " positions");
        }
        steering = new KvCache.ForwardOptions(arena.allocateFrom(ValueLayout.JAVA_FLOAT, factors), mode, null, null,
                null, 0);
    }

    /**
     * Runs the encoding's words on top of the cache and returns the logits of its last
     * {@code logitRows} positions (0 = all): [rows × vocab], valid until the next forward.
     *
     * @throws IllegalArgumentException when the encoding is empty or does not fit the capacity
     */
    public MemorySegment feed(Encoding units, int logitRows) {
        return feed(List.of(units), logitRows);
    }

    /** As {@link #feed(Encoding, int)} for several encodings as consecutive positions. */
    public MemorySegment feed(List<Encoding> pieces, int logitRows) {
        int n = pieces.stream().mapToInt(Encoding::nWords).sum();
        requireRoom(n);
        MemorySegment emb = embeddings((long) n * hidden);
        guard.run(() -> {
            long offset = 0;
            for (Encoding e : pieces) {
                long bytes = (long) e.nWords() * hidden * Float.BYTES;
                if (bytes > 0) model.embed(e, emb.asSlice(offset, bytes));
                offset += bytes;
            }
        });
        List<String> words = new ArrayList<>(n);
        for (Encoding e : pieces) words.addAll(e.words());
        return forwardEmbedded(emb, words, logitRows);
    }

    /**
     * Runs already embedded positions ([words.size() × hidden]) on top of the cache, with the
     * session's steering; returns the logits of the last {@code logitRows} rows (0 = all).
     */
    public MemorySegment forwardEmbedded(MemorySegment emb, List<String> words, int logitRows) {
        int n = words.size();
        requireRoom(n);
        int rows = logitRows == 0 ? n : Math.min(logitRows, n);
        MemorySegment out = logits((long) rows * vocab);
        if (steps != null) {
            // forwardBatch, whichever thread runs the step, does this session's bookkeeping.
            steps.forward(new BatchItem(this, emb, words, steering.keyControl(), steering.controlMode(), null,
                    logitRows, out));
            return lastLogits;
        }
        KvCache.ForwardOptions how = steering.withLogitsRows(logitRows);
        guard.run(() -> cache.forward(emb, n, how, out));
        units.addAll(words);
        forwardedPositions += n;
        lastLogits = out;
        return out;
    }

    /**
     * One item of {@link #forwardBatch}: embedded positions ([words.size() × hidden]) to run on
     * {@code session} with their own AtMan controls (null keyControl = none; layerMask null = all
     * layers), writing the last {@code logitRows} rows' logits (0 = all) into {@code logits}.
     */
    public record BatchItem(Session session, MemorySegment embeddings, List<String> words, MemorySegment keyControl,
                            ControlMode mode, MemorySegment layerMask, int logitRows, MemorySegment logits) {}

    /**
     * Several sessions' forwards in one native call (explain's suppressed passes, continuous
     * batching): every matmul runs once over the rows of all items, so each weight is read once
     * for all of them, and every item gets exactly the bits its own forward would give (the
     * native batch invariance, tf_model_forward_batch). The sessions must be distinct and belong
     * to one model.
     */
    public static void forwardBatch(List<BatchItem> items) {
        if (items.isEmpty()) throw new IllegalArgumentException("forwardBatch: no items");
        List<KvCache.BatchItem> calls = new ArrayList<>(items.size());
        for (BatchItem item : items) {
            item.session().requireRoom(item.words().size());
            calls.add(new KvCache.BatchItem(item.session().cache, item.embeddings(), item.words().size(),
                    new KvCache.ForwardOptions(item.keyControl(), item.mode(), item.layerMask(), null, null, item.logitRows()),
                    item.logits()));
        }
        items.getFirst().session().guard.run(() -> KvCache.forwardBatch(calls));
        for (BatchItem item : items) {
            Session s = item.session();
            s.units.addAll(item.words());
            s.forwardedPositions += item.words().size();
            int rows = item.logitRows() == 0 ? item.words().size() : Math.min(item.logitRows(), item.words().size());
            s.lastLogits = item.logits().asSlice(0, (long) rows * s.vocab * Float.BYTES);
        }
    }

    /** Runs every following forward through {@code steps} (null = each on its own again). */
    void forwardThrough(StepBatcher steps) {
        this.steps = steps;
    }

    /** Makes this session hold a copy of the first {@code length} positions of {@code source}. */
    public void copyPrefixFrom(Session source, int length) {
        guard.run(() -> cache.copyPrefixFrom(source.cache, length));
        units.clear();
        units.addAll(source.units.subList(0, length));
        lastLogits = null;
    }

    ModelGuard guard() {
        return guard;
    }

    private void requireRoom(int n) {
        if (n == 0) throw new IllegalArgumentException("nothing to feed: no words");
        if (units.size() + n > capacity()) {
            throw new IllegalArgumentException("feeding " + n + " positions onto " + units.size() + " exceeds the session's"
                    + " capacity of " + capacity() + " (the model's sequence_length is " + model.config().sequenceLength() + ")");
        }
    }

    /** Scratch reused by every forward; grows (doubling) when a forward needs more. */
    private MemorySegment embeddings(long floats) {
        if (embeddings.byteSize() < floats * Float.BYTES) {
            embeddings = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(floats, embeddings.byteSize() / Float.BYTES * 2));
        }
        return embeddings.asSlice(0, floats * Float.BYTES);
    }

    private MemorySegment logits(long floats) {
        if (logits.byteSize() < floats * Float.BYTES) {
            logits = arena.allocate(ValueLayout.JAVA_FLOAT, Math.max(floats, logits.byteSize() / Float.BYTES * 2));
        }
        return logits.asSlice(0, floats * Float.BYTES);
    }

    @Override
    public void close() {
        if (!arena.scope().isAlive()) return;
        cache.close();
        arena.close();
    }
}
