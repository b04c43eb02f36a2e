package dev.tfree4j.divergence;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.GenerationLoop;
import dev.tfree4j.Session;
import dev.tfree4j.StopRules;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.decode.WordChooser;
import dev.tfree4j.eval.Evaluator;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The two passes of divergence evaluation on one model, with the decoding rules of generation
 * (docs/spec/tfree.md §6.3): candidates = the dictionary plus the prompt's words, greedy argmax with the
 * lowest index winning ties, edge weight 1.
 * <ul>
 *   <li>{@link #greedy}: the base model's own continuation, word by word on a KV cache exactly
 *       as {@code generate} does it (each chosen word re-encoded and fed back);</li>
 *   <li>{@link #force}: one teacher-forced forward over prompt ⊕ y[0..n−2]; every row is scored
 *       on its own (not the reference's multi-row echo path).</li>
 * </ul>
 * Both feed the same positions: each continuation word contributes the positions its encoding
 * has (normally one), and the prediction for y_n is read at the last position before it.
 */
final class ForcedSequence {
    private ForcedSequence() {}

    /** Greedy continuation of up to {@code words} words (stops early only if the context fills or a word is empty). */
    static Reference greedy(TFreeModel model, String prompt, int words) {
        LoadedModel loaded = ModelInternals.loaded(model);
        Encoding enc = loaded.tokenizer().encode(prompt);
        checkPrompt(model, enc, prompt);
        int capacity = (int) Math.min(loaded.config().sequenceLength(), (long) enc.nWords() + words);
        List<String> out = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        List<Float> margins = new ArrayList<>();
        List<Float> logProbs = new ArrayList<>();
        try (Session session = model.newSession(capacity);
             WordChooser chooser = chooserFor(model, prompt)) {
            session.feed(enc, 1);
            // The generation loop with no stop rules: exactly generate's greedy continuation.
            GenerationLoop.run(session, chooser, StopRules.NONE, words, (word, index, row) -> {
                out.add(word);
                indices.add(index);
                margins.add(topMargin(chooser.decoder().lastScores(), chooser.candidates().size()));
                logProbs.add((float) Math.log(chooser.greedyStep().probability()));
                return true;
            });
        }
        return new Reference(prompt, out, indices.stream().mapToInt(Integer::intValue).toArray(), toArray(margins),
                toArray(logProbs));
    }

    /** Logits rows scored per native call in {@link #force}. */
    private static final int ROW_BATCH = 8;

    /** The model's greedy choice, ln p(y_n) and BCE at every step n of the reference, teacher forced. */
    static StepTrace force(TFreeModel model, Reference ref) {
        LoadedModel loaded = ModelInternals.loaded(model);
        Tokenizer tok = loaded.tokenizer();
        Encoding promptEnc = tok.encode(ref.prompt());
        checkPrompt(model, promptEnc, ref.prompt());
        int vocab = loaded.config().vocabSize();
        int n = ref.length();
        // Encodings of prompt, y_0, …, y_{n−2}; predictionRow[k] = last position before y_k.
        List<Encoding> pieces = new ArrayList<>();
        pieces.add(promptEnc);
        int[] predictionRow = new int[n];
        int positions = promptEnc.nWords();
        for (int k = 0; k < n; k++) {
            predictionRow[k] = positions - 1;
            if (k + 1 < n) {
                Encoding e = tok.encode(ref.words().get(k));
                pieces.add(e);
                positions += e.nWords();
            }
        }
        if (positions > loaded.config().sequenceLength()) {
            throw new IllegalArgumentException("prompt plus reference has " + positions + " positions, more than the model's"
                    + " sequence_length " + loaded.config().sequenceLength());
        }
        int[] argmax = new int[n];
        float[] lp = new float[n];
        double[] bce = new double[n];
        float[] margin = new float[n];
        if (n == 0) return new StepTrace(argmax, lp, bce, margin);
        try (Arena arena = Arena.ofConfined();
             WordChooser chooser = chooserFor(model, ref.prompt());
             Session session = model.newSession(positions)) {
            Decoder decoder = chooser.decoder();
            CandidateSet candidates = chooser.candidates();
            MemorySegment logits = session.feed(pieces, 0);
            // The prediction rows are scored ROW_BATCH at a time in one native call (copied next to
            // each other first: a word may span several positions).
            int batch = Math.min(n, ROW_BATCH);
            MemorySegment rows = arena.allocate(ValueLayout.JAVA_FLOAT, (long) batch * vocab);
            MemorySegment rowScores = arena.allocate(ValueLayout.JAVA_FLOAT, (long) batch * candidates.size());
            long rowBytes = (long) vocab * Float.BYTES, scoreBytes = (long) candidates.size() * Float.BYTES;
            for (int k = 0; k < n; k++) {
                MemorySegment row = logits.asSlice((long) predictionRow[k] * rowBytes, rowBytes);
                if (k % batch == 0) {
                    int m = Math.min(batch, n - k);
                    for (int j = 0; j < m; j++) {
                        MemorySegment.copy(logits, (long) predictionRow[k + j] * rowBytes, rows, j * rowBytes, rowBytes);
                    }
                    decoder.scoreRows(rows, m, rowScores);
                }
                Decoder.Step s = decoder.decodeScores(rowScores.asSlice((k % batch) * scoreBytes, scoreBytes));
                argmax[k] = s.index();
                lp[k] = (float) Math.log(decoder.probabilities().getAtIndex(ValueLayout.JAVA_FLOAT, ref.indices()[k]));
                margin[k] = topMargin(decoder.lastScores(), candidates.size());
                bce[k] = Evaluator.bce(row, Evaluator.targetIds(tok, ref.words().get(k)), vocab) / vocab;
            }
        }
        return new StepTrace(argmax, lp, bce, margin);
    }

    /** Generation's greedy decoding: candidates = the dictionary plus the prompt's words, edge weight 1. */
    private static WordChooser chooserFor(TFreeModel model, String prompt) {
        LoadedModel loaded = ModelInternals.loaded(model);
        List<String> moreWords = WordSplitter.split(prompt);
        return ModelInternals.whileOpen(model, () -> new WordChooser(loaded.context(), loaded.tokenizer(),
                loaded.dictionary("divergence"), moreWords, 1.0f, null, List.of()));
    }

    private static void checkPrompt(TFreeModel model, Encoding enc, String prompt) {
        if (enc.nWords() == 0) throw new IllegalArgumentException("a prompt is empty (it has no words)");
        int max = ModelInternals.loaded(model).config().sequenceLength();
        if (enc.nWords() >= max) {
            throw new IllegalArgumentException("the prompt has " + enc.nWords() + " words; the model's sequence_length " + max
                    + " leaves no room to continue it: " + abbreviate(prompt));
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? '"' + s + '"' : '"' + s.substring(0, 57) + "...\"";
    }

    /** Best score minus second-best score (0 with fewer than two candidates). */
    static float topMargin(MemorySegment scores, int n) {
        float best = Float.NEGATIVE_INFINITY, second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = scores.getAtIndex(ValueLayout.JAVA_FLOAT, i);
            if (v > best) {
                second = best;
                best = v;
            } else if (v > second) {
                second = v;
            }
        }
        return n < 2 ? 0f : best - second;
    }

    private static float[] toArray(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) a[i] = values.get(i);
        return a;
    }
}
