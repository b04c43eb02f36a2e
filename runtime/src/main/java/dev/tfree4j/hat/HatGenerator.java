package dev.tfree4j.hat;

import dev.tfree4j.decode.Sampler;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * HAT's byte loop (docs/spec/hat.md §3.1): prefill, then per step choose a byte from the 256
 * logits, apply eos / stop strings / the byte budget, run the word-boundary test
 * ({@link HatWordBoundary}), complete words (connector + backbone step, carried-byte fix-up) and
 * feed the byte. The T-FREE loop ({@code GenerationLoop}) chooses dictionary words, one position
 * each; here a unit is a byte and a word ends only when the boundary test says so, so the two
 * share the sampler and the stop semantics but not the loop.
 *
 * <p>The same loop runs on the cached engine ({@link HatSession}) or, with
 * {@code cached(false)}, on an engine that recomputes the whole forward at every byte.
 */
public final class HatGenerator {
    private HatGenerator() {}

    /** The HF template's system prompt for SFT/DPO models (§3.4). */
    public static final String DEFAULT_SYSTEM_PROMPT =
            "You are a helpful assistant. You give engaging, well-structured answers to user inquiries.";

    /** The Llama-3 chat prompt of the HF helper (§3.4), ending with the assistant header. */
    public static String llama3ChatPrompt(String system, List<Map.Entry<String, String>> messages) {
        StringBuilder s = new StringBuilder("<|begin_of_text|>");
        s.append("<|start_header_id|>system<|end_header_id|>\n\n").append(system).append("<|eot_id|>");
        for (Map.Entry<String, String> m : messages) {
            s.append("<|start_header_id|>").append(m.getKey()).append("<|end_header_id|>\n\n").append(m.getValue())
                    .append("<|eot_id|>");
        }
        return s.append("<|start_header_id|>assistant<|end_header_id|>\n\n").toString();
    }

    /** What the loop needs from an engine. */
    private interface Engine extends AutoCloseable {
        float[] start(List<byte[]> words);

        /** Feeds byte b as the next byte of the current word; the logits row it gives. */
        float[] feed(int b);

        void complete(int[] lengths, int carried);

        boolean fits();

        @Override
        void close();
    }

    private static final class Cached implements Engine {
        final HatSession session;
        final boolean fixup;

        Cached(HatModel model, int words, boolean fixup) {
            this.session = new HatSession(model, words);
            this.fixup = fixup;
        }

        public float[] start(List<byte[]> words) {
            return HatSession.lastRow(session.prefill(words));
        }

        public float[] feed(int b) {
            return session.feed(new byte[] {(byte) b});
        }

        public void complete(int[] lengths, int carried) {
            session.completeWords(lengths, carried, fixup);
        }

        public boolean fits() {
            return session.fitsBytes(1) && session.fitsWords(1);
        }

        public void close() {
            session.close();
        }
    }

    /** Recomputes everything at each byte, with the word list kept by the same boundary rule. */
    private static final class Uncached implements Engine {
        final HatModel model;
        final List<byte[]> done = new ArrayList<>();
        byte[] current;

        Uncached(HatModel model) {
            this.model = model;
        }

        float[] run() {
            List<byte[]> all = new ArrayList<>(done);
            all.add(current);
            HatForward f = model.forward(all);
            return f.logitsRow(f.length() - 1);
        }

        public float[] start(List<byte[]> words) {
            done.addAll(words.subList(0, words.size() - 1));
            current = words.getLast();
            return run();
        }

        public float[] feed(int b) {
            current = Arrays.copyOf(current, current.length + 1);
            current[current.length - 1] = (byte) b;
            return run();
        }

        public void complete(int[] lengths, int carried) {
            int offset = 0;
            for (int len : lengths) {
                done.add(Arrays.copyOfRange(current, offset, offset + len));
                offset += len;
            }
            current = Arrays.copyOfRange(current, offset, current.length);
        }

        public boolean fits() {
            long bytes = current.length + 1;
            for (byte[] w : done) bytes += w.length;
            try {
                model.checkLength(bytes, done.size() + 2);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        public void close() {}
    }

    /** Generates a continuation of {@code prompt} (encoded the model's way). */
    public static HatGenerationResult generate(HatModel model, String prompt, HatGenerateOptions options,
                                               HatStreamListener listener) {
        List<byte[]> words = model.encode(prompt);
        if (words.isEmpty()) throw new IllegalArgumentException("the prompt is empty: HAT needs at least one byte");
        return generate(model, words, options, listener);
    }

    /** Generates a continuation of the prompt words (the last one is treated as unfinished). */
    public static HatGenerationResult generate(HatModel model, List<byte[]> promptWords, HatGenerateOptions o,
                                               HatStreamListener listener) {
        HatConfig config = model.config();
        HatSpecialTokens specials = model.specialTokens();
        HatStreamListener sink = listener == null ? new HatStreamListener() {} : listener;
        HatWordBoundary boundary = new HatWordBoundary(specials, o.policy(),
                o.maxWordBytes() == 0 ? config.maxWordSize() : o.maxWordBytes());
        int promptBytes = promptWords.stream().mapToInt(w -> w.length).sum();
        Sampler sampler = o.sampling() ? new Sampler(o.temperature(), o.topK(), o.topP(), o.repetitionPenalty(), o.seed()) : null;
        Set<Integer> seen = new HashSet<>();
        ByteArrayOutputStream gen = new ByteArrayOutputStream();
        List<HatGenerationResult.Step> steps = new ArrayList<>();
        List<byte[]> completionWords = new ArrayList<>();
        long t0 = System.nanoTime();
        // Every completed word holds at least one byte, and at most maxWords complete: the backbone
        // cache needs the prompt's words plus the fewer of the two, plus the unfinished one.
        int wordCapacity = (int) Math.min(Integer.MAX_VALUE - 1,
                (long) promptWords.size() + Math.min(o.maxBytes(), o.maxWords()) + 1);
        try (Engine engine = o.cached() ? new Cached(model, wordCapacity, o.carriedFixup()) : new Uncached(model);
             Arena arena = Arena.ofConfined()) {
            float[] row = engine.start(promptWords);
            long t1 = System.nanoTime();
            byte[] current = promptWords.getLast();
            int wordStart = 0;     // where the current word's generated bytes start in gen
            int completed = 0;
            int cut = -1;          // the completion's length when a stop rule cuts it
            MemorySegment rowSegment = arena.allocate(ValueLayout.JAVA_FLOAT, HatModel.VOCAB);
            HatGenerationResult.StopReason reason;
            while (true) {
                if (gen.size() >= o.maxBytes()) {
                    reason = HatGenerationResult.StopReason.MAX_BYTES;
                    break;
                }
                int b;
                if (sampler == null) {
                    b = argmax(row);
                } else {
                    MemorySegment.copy(row, 0, rowSegment, ValueLayout.JAVA_FLOAT, 0, HatModel.VOCAB);
                    b = sampler.sample(rowSegment, HatModel.VOCAB, seen);
                    seen.add(b);
                }
                steps.add(step(row, b, o.logProbs()));
                if (b == config.eosTokenId()) {
                    steps.removeLast();
                    reason = HatGenerationResult.StopReason.EOS;
                    break;
                }
                gen.write(b);
                if (!sink.onByte(b)) {
                    reason = HatGenerationResult.StopReason.LISTENER;
                    break;
                }
                int stopAt = stopStringAt(gen.toByteArray(), specials, o.stopStrings());
                if (stopAt >= 0) {
                    cut = stopAt;
                    reason = HatGenerationResult.StopReason.STOP_STRING;
                    break;
                }
                // The boundary test runs on the last byte too, so the reported words are complete.
                boolean budgetSpent = gen.size() >= o.maxBytes();
                List<byte[]> parts = boundary.split(current, b);
                if (parts.size() > 1) {
                    byte[] next = parts.getLast();
                    int[] lengths = parts.subList(0, parts.size() - 1).stream().mapToInt(w -> w.length).toArray();
                    int promptPart = current.length - (gen.size() - 1 - wordStart);
                    int s = 0;
                    boolean stop = false;
                    for (int len : lengths) {
                        int from = Math.max(wordStart, wordStart + s - promptPart), to = wordStart + s + len - promptPart;
                        s += len;
                        if (to > from) {
                            byte[] w = Arrays.copyOfRange(gen.toByteArray(), from, to);
                            completionWords.add(w);
                            if (!sink.onWord(w, specials.decode(w))) stop = true;
                        }
                    }
                    wordStart = Math.max(0, gen.size() - next.length);
                    completed += lengths.length;
                    if (stop) {
                        cut = wordStart;
                        reason = HatGenerationResult.StopReason.LISTENER;
                        break;
                    }
                    if (budgetSpent) {
                        reason = HatGenerationResult.StopReason.MAX_BYTES;
                        break;
                    }
                    if (completed >= o.maxWords()) {
                        cut = wordStart;
                        reason = HatGenerationResult.StopReason.MAX_WORDS;
                        break;
                    }
                    if (!engine.fits()) {
                        reason = HatGenerationResult.StopReason.CONTEXT_FULL;
                        break;
                    }
                    engine.complete(lengths, next.length - 1);
                    current = next;
                } else {
                    if (budgetSpent) {
                        reason = HatGenerationResult.StopReason.MAX_BYTES;
                        break;
                    }
                    if (!engine.fits()) {
                        reason = HatGenerationResult.StopReason.CONTEXT_FULL;
                        break;
                    }
                    current = parts.getFirst();
                }
                row = engine.feed(b);
                if (row.length > HatModel.VOCAB) row = HatSession.lastRow(row);
            }
            long t2 = System.nanoTime();
            byte[] all = gen.toByteArray();
            byte[] completion = cut >= 0 ? Arrays.copyOf(all, cut) : all;
            List<HatGenerationResult.Step> kept = steps.subList(0, Math.min(steps.size(), completion.length));
            // The words, clipped to the completion (a stop string may start inside a word), and the
            // unfinished last word, which the listener gets now.
            List<byte[]> clipped = new ArrayList<>();
            int covered = 0;
            for (byte[] w : completionWords) {
                if (covered >= completion.length) break;
                clipped.add(Arrays.copyOf(w, Math.min(w.length, completion.length - covered)));
                covered += w.length;
            }
            if (completion.length > covered) {
                byte[] tail = Arrays.copyOfRange(completion, covered, completion.length);
                clipped.add(tail);
                if (reason != HatGenerationResult.StopReason.LISTENER) sink.onWord(tail, specials.decode(tail));
            }
            completionWords = clipped;
            return new HatGenerationResult(completion, specials.decode(completion), List.copyOf(completionWords),
                    List.copyOf(kept), reason, promptBytes, promptWords.size(), t1 - t0, t2 - t1);
        }
    }

    /**
     * Where the first stop string starts, as a byte offset of the completion, or -1: the stop
     * string appears first in bytes [0, n); it starts at the last offset whose suffix up to n still
     * holds it.
     */
    private static int stopStringAt(byte[] bytes, HatSpecialTokens specials, List<String> stops) {
        if (stops.isEmpty()) return -1;
        String text = specials.decode(bytes);
        if (stops.stream().noneMatch(text::contains)) return -1;
        for (int n = 1; n <= bytes.length; n++) {
            String prefix = specials.decode(Arrays.copyOf(bytes, n));
            if (stops.stream().noneMatch(prefix::contains)) continue;
            for (int start = n - 1; start >= 0; start--) {
                String piece = specials.decode(Arrays.copyOfRange(bytes, start, n));
                if (stops.stream().anyMatch(piece::contains)) return start;
            }
        }
        return 0;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < HatModel.VOCAB; i++) if (row[i] > row[best]) best = i;
        return best;
    }

    /** ln p of byte b under softmax(row), and the top k (byte, ln p) pairs. */
    static HatGenerationResult.Step step(float[] row, int b, int k) {
        float max = row[argmax(row)];
        double sum = 0;
        for (int i = 0; i < HatModel.VOCAB; i++) sum += Math.exp(row[i] - max);
        double logZ = max + Math.log(sum);
        List<Map.Entry<Integer, Float>> top = List.of();
        if (k > 0) {
            top = IntStream.range(0, HatModel.VOCAB).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -row[i]).thenComparingInt(i -> i)).limit(k)
                    .map(i -> (Map.Entry<Integer, Float>) new AbstractMap.SimpleImmutableEntry<>(i, (float) (row[i] - logZ)))
                    .toList();
        }
        return new HatGenerationResult.Step(b, (float) (row[b] - logZ), top);
    }
}
