package dev.tfree4j.hat;

import dev.tfree4j.engine.NativeStack;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One sequence's cached HAT state (docs/spec/hat.md §3.1, §3.3): the three caches (encoder and
 * decoder layers as rings over their windows, the backbone linear, one entry per word), the
 * encoder outputs of the current word's bytes, the current predictive vector (as its guide
 * vectors) and the word index. Not thread-safe: one generation owns one session.
 *
 * <p>Steps: {@link #prefill} (all prompt words but the last through the three stacks, then the
 * last word's bytes), {@link #feed} (bytes of the current word: one encoder and one decoder step
 * each), {@link #completeWords} (connector + one backbone step per finished word, then the
 * carried-byte fix-up).
 */
public final class HatSession implements AutoCloseable {
    private final HatModel model;
    private Arena guideArena;
    private final NativeStack.Cache encoder;
    private final NativeStack.Cache backbone;
    private final NativeStack.Cache[] decoder;
    private final int backboneCapacity;
    private final int de, db;
    private int wordIndex;
    private MemorySegment[] guides;
    // The current word's fed bytes: their encoder outputs and byte positions.
    private final List<float[]> currentEncoded = new ArrayList<>();
    private final List<Integer> currentPositions = new ArrayList<>();
    private int fixups, carriedBytes, wordsCompleted;

    /** @param backboneCapacity the most words the session will hold */
    public HatSession(HatModel model, int backboneCapacity) {
        this.model = model;
        HatConfig c = model.config();
        this.de = c.encoder().hiddenSize();
        this.db = c.backbone().hiddenSize();
        this.backboneCapacity = Math.min(Math.max(1, backboneCapacity), c.backbone().maxPositionEmbeddings());
        NativeStack.Cache e = null, b = null;
        try {
            e = HatModel.ringCache(model.encoder());
            b = model.backbone().newCache(this.backboneCapacity);
            this.decoder = model.decoderCaches();
        } catch (RuntimeException | Error x) {
            if (e != null) e.close();
            if (b != null) b.close();
            throw x;
        }
        this.encoder = e;
        this.backbone = b;
    }

    /** Bytes fed so far (prompt and generated). */
    public long bytes() {
        return encoder.length();
    }

    /** Index of the current (unfinished) word. */
    public int wordIndex() {
        return wordIndex;
    }

    /** Words this session completed after its prefill, carried-byte fix-ups run and the bytes they re-ran. */
    public int wordsCompleted() {
        return wordsCompleted;
    }

    public int fixups() {
        return fixups;
    }

    public int carriedBytes() {
        return carriedBytes;
    }

    /** Whether {@code n} more bytes fit the byte positions. */
    public boolean fitsBytes(long n) {
        HatConfig c = model.config();
        return encoder.length() + n <= Math.min(c.encoder().maxPositionEmbeddings(), c.decoder().maxPositionEmbeddings());
    }

    /** Whether {@code n} more words fit the backbone cache. */
    public boolean fitsWords(int n) {
        return backbone.length() + n <= backboneCapacity;
    }

    /**
     * Runs the prompt (§3.1 steps 1-2): every word but the last through encoder, connector,
     * backbone and decoder, then the last word's bytes. Returns the logits [n, 256] of the last
     * word's bytes (row-major).
     */
    public float[] prefill(List<byte[]> words) {
        if (encoder.length() != 0) throw new IllegalStateException("prefill on a used session");
        if (words.isEmpty()) throw new IllegalArgumentException("a prompt needs at least one word");
        int prefix = words.size() - 1;
        long total = 0;
        for (byte[] w : words) {
            if (w.length == 0) throw new IllegalArgumentException("empty word");
            total += w.length;
        }
        model.checkLength(total, words.size());
        if (!fitsWords(words.size())) throw new IllegalArgumentException(words.size() + " prompt words exceed the session's "
                + backboneCapacity + " words");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment predictive;
            if (prefix > 0) {
                int t = 0;
                long[] begin = new long[prefix], end = new long[prefix];
                for (int i = 0; i < prefix; i++) {
                    begin[i] = t;
                    t += words.get(i).length;
                    end[i] = t;
                }
                byte[] bytes = new byte[t];
                int[] wordOf = new int[t], positions = new int[t], wordIdx = new int[prefix];
                for (int i = 0, k = 0; i < prefix; i++) {
                    wordIdx[i] = i;
                    for (byte x : words.get(i)) {
                        positions[k] = k;
                        wordOf[k] = i;
                        bytes[k++] = x;
                    }
                }
                MemorySegment encoded = a.allocate(ValueLayout.JAVA_FLOAT, (long) t * de);
                encoder.forward(model.embed(a, bytes, 0, t), t, null, null, encoded);
                MemorySegment wordEmb = model.connect(a, encoded, t, positions, wordIdx, begin, end);
                MemorySegment states = a.allocate(ValueLayout.JAVA_FLOAT, (long) prefix * db);
                backbone.forward(wordEmb, prefix, null, null, states);
                MemorySegment shifted = a.allocate(ValueLayout.JAVA_FLOAT, (long) prefix * db);
                MemorySegment.copy(model.firstWordEmbedding(), 0, shifted, ValueLayout.JAVA_FLOAT, 0, db);
                MemorySegment.copy(states, 0, shifted, (long) db * 4, (long) (prefix - 1) * db * 4);
                // The decoder only fills its caches here; the logits are not needed.
                MemorySegment logits = a.allocate(ValueLayout.JAVA_FLOAT, (long) t * HatModel.VOCAB);
                model.decode(a, decoder, encoded, t, model.guides(a, shifted, prefix), wordOf, logits, null);
                predictive = states.asSlice((long) (prefix - 1) * db * 4, (long) db * 4);
            } else {
                predictive = HatModel.floats(a, model.firstWordEmbedding());
            }
            setPredictive(predictive);
        }
        wordIndex = prefix;
        return feed(words.get(prefix));
    }

    /** Sets the predictive vector: its guide vectors live in an arena of their own, freed at the next word. */
    private void setPredictive(MemorySegment p) {
        Arena next = Arena.ofShared();
        try {
            guides = model.guides(next, p, 1);
        } catch (RuntimeException | Error e) {
            next.close();
            throw e;
        }
        if (guideArena != null) guideArena.close();
        guideArena = next;
    }

    /** Feeds bytes of the current word (§3.1 step 3); returns their logits [n, 256] (row-major). */
    public float[] feed(byte[] bytes) {
        int n = bytes.length;
        if (n == 0) throw new IllegalArgumentException("nothing to feed");
        if (!fitsBytes(n)) throw new IllegalStateException("the byte positions of the model are full");
        try (Arena a = Arena.ofConfined()) {
            long start = encoder.length();
            MemorySegment encoded = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * de);
            encoder.forward(model.embed(a, bytes, 0, n), n, null, null, encoded);
            for (int i = 0; i < n; i++) {
                currentEncoded.add(encoded.asSlice((long) i * de * 4, (long) de * 4).toArray(ValueLayout.JAVA_FLOAT));
                currentPositions.add((int) (start + i));
            }
            return decodeRows(a, encoded, n);
        }
    }

    private float[] decodeRows(Arena a, MemorySegment encoded, int n) {
        MemorySegment x = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * de);
        MemorySegment.copy(encoded, 0, x, 0, (long) n * de * 4);
        MemorySegment logits = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * HatModel.VOCAB);
        model.decode(a, decoder, x, n, guides, new int[n], logits, null);
        return logits.toArray(ValueLayout.JAVA_FLOAT);
    }

    /**
     * Completes words (§3.1 steps 5-6): the current word's fed bytes are {@code lengths} complete
     * words followed by {@code carried} bytes that start the next word. Each complete word gets
     * the connector (query at its word index, keys at their byte positions) and one backbone
     * step, whose output becomes the predictive vector. With {@code fixup}, the decoder drops its
     * last {@code carried} entries and re-runs those bytes with the new predictive vector.
     *
     * @return the re-run bytes' logits [carried, 256] (empty without a fix-up)
     */
    public float[] completeWords(int[] lengths, int carried, boolean fixup) {
        int sum = carried;
        for (int len : lengths) {
            if (len < 1) throw new IllegalArgumentException("empty word");
            sum += len;
        }
        if (sum != currentEncoded.size()) {
            throw new IllegalArgumentException("the words and carried bytes (" + sum + ") are not the " + currentEncoded.size()
                    + " bytes fed to the current word");
        }
        if (!fitsWords(lengths.length)) throw new IllegalStateException("the backbone cache is full");
        try (Arena a = Arena.ofConfined()) {
            int offset = 0;
            for (int len : lengths) {
                MemorySegment encoded = rows(a, offset, len);
                int[] positions = new int[len];
                for (int i = 0; i < len; i++) positions[i] = currentPositions.get(offset + i);
                MemorySegment emb = model.connect(a, encoded, len, positions, new int[] {wordIndex}, new long[] {0},
                        new long[] {len});
                MemorySegment state = a.allocate(ValueLayout.JAVA_FLOAT, db);
                backbone.forward(emb, 1, null, null, state);
                setPredictive(state);
                wordIndex++;
                wordsCompleted++;
                offset += len;
            }
            float[] rerun = new float[0];
            if (carried > 0 && fixup) {
                for (NativeStack.Cache c : decoder) c.truncate(c.length() - carried);
                rerun = decodeRows(a, rows(a, offset, carried), carried);
                fixups++;
                carriedBytes += carried;
            }
            List<float[]> keptEncoded = new ArrayList<>(currentEncoded.subList(offset, currentEncoded.size()));
            List<Integer> keptPositions = new ArrayList<>(currentPositions.subList(offset, currentPositions.size()));
            currentEncoded.clear();
            currentEncoded.addAll(keptEncoded);
            currentPositions.clear();
            currentPositions.addAll(keptPositions);
            return rerun;
        }
    }

    private MemorySegment rows(Arena a, int from, int n) {
        MemorySegment out = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * de);
        for (int i = 0; i < n; i++) MemorySegment.copy(currentEncoded.get(from + i), 0, out, ValueLayout.JAVA_FLOAT, (long) i * de * 4, de);
        return out;
    }

    /** The last row of logits [n, 256]. */
    static float[] lastRow(float[] logits) {
        return Arrays.copyOfRange(logits, logits.length - HatModel.VOCAB, logits.length);
    }

    @Override
    public void close() {
        for (NativeStack.Cache c : decoder) c.close();
        backbone.close();
        encoder.close();
        if (guideArena != null) guideArena.close();
    }
}
