package dev.tfree4j.tests;

import dev.tfree4j.internal.ModelInternals;
import dev.tfree4j.ControlMode;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.decode.CandidateSet;
import dev.tfree4j.decode.Decoder;
import dev.tfree4j.engine.KvCache;
import dev.tfree4j.model.LoadedModel;
import dev.tfree4j.text.Encoding;
import dev.tfree4j.text.WordSplitter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A deliberately plain AtMan, written apart from the explain package, for the tests to compare
 * with: every pass is a full forward of prompt + target on a fresh cache (no prefix reuse), each
 * word is embedded on its own, and the dictionary log-prob is computed here from the decoder's
 * raw scores. Candidates: dictionary + the prompt's words + target words not yet candidates.
 */
final class NaiveAtMan implements AutoCloseable {
    private final LoadedModel model;
    private final List<String> target;
    private final int promptWords;
    private final int n;
    private final int vocab;
    private final int hidden;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment embeddings;
    private final CandidateSet candidates;
    private final Decoder decoder;

    NaiveAtMan(TFreeModel tfree, String prompt, List<String> target) {
        this.model = ModelInternals.loaded(tfree);
        this.target = List.copyOf(target);
        Encoding p = tfree.encode(prompt);
        this.promptWords = p.nWords();
        this.n = promptWords + target.size() - 1;
        this.vocab = tfree.config().vocabSize();
        this.hidden = tfree.config().hiddenSize();
        this.embeddings = arena.allocate(ValueLayout.JAVA_FLOAT, (long) n * hidden);
        model.embed(p, embeddings);
        for (int t = 0; t + 1 < target.size(); t++) {
            Encoding w = tfree.encode(target.get(t));
            if (w.nWords() != 1) throw new IllegalStateException("target word " + target.get(t) + " is not one word");
            model.embed(w, embeddings.asSlice((long) (promptWords + t) * hidden * Float.BYTES, (long) hidden * Float.BYTES));
        }
        List<String> more = new ArrayList<>(WordSplitter.split(prompt));
        Set<String> extra = new LinkedHashSet<>();
        for (String w : target) if (!model.dictionary().contains(w) && !more.contains(w)) extra.add(w);
        more.addAll(extra);
        this.candidates = new CandidateSet(ModelInternals.context(tfree), model.tokenizer(), model.dictionary(), more);
        this.decoder = new Decoder(ModelInternals.context(tfree), candidates, vocab, model.tokenizer().config().vocabPopulation(), 1f);
    }

    int length() {
        return n;
    }

    int promptWords() {
        return promptWords;
    }

    /** Logits [n, vocab] of one full forward with the given factors (null = no control). */
    float[] logits(float[] factors, ControlMode mode, byte[] layerMask) {
        try (Arena a = Arena.ofConfined(); KvCache cache = model.nativeModel().newCache(n)) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_FLOAT, (long) n * vocab);
            KvCache.ForwardOptions how = factors == null ? KvCache.ForwardOptions.ALL_LOGITS
                    : new KvCache.ForwardOptions(a.allocateFrom(ValueLayout.JAVA_FLOAT, factors),
                            mode, layerMask == null ? null
                            : a.allocateFrom(ValueLayout.JAVA_BYTE, layerMask), null, null, 0);
            cache.forward(embeddings, n, how, out);
            return out.toArray(ValueLayout.JAVA_FLOAT);
        }
    }

    /** Per target word, ln p of it under the dictionary softmax, with the given factors. */
    double[] logProbs(float[] factors, ControlMode mode, byte[] layerMask) {
        float[] logits = logits(factors, mode, layerMask);
        double[] out = new double[target.size()];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment row = a.allocate(ValueLayout.JAVA_FLOAT, vocab);
            for (int t = 0; t < out.length; t++) {
                MemorySegment.copy(logits, (promptWords - 1 + t) * vocab, row, ValueLayout.JAVA_FLOAT, 0, vocab);
                float[] s = decoder.scores(row).toArray(ValueLayout.JAVA_FLOAT);
                double max = Double.NEGATIVE_INFINITY;
                for (float v : s) max = Math.max(max, v);
                double sum = 0;
                for (float v : s) sum += Math.exp(v - max);
                out[t] = s[candidates.indexOf(target.get(t))] - max - Math.log(sum);
            }
        }
        return out;
    }

    /** Factors [n]: m on the positions, 1 elsewhere. */
    float[] factors(float m, int... positions) {
        float[] f = new float[n];
        java.util.Arrays.fill(f, 1f);
        for (int p : positions) f[p] = m;
        return f;
    }

    @Override
    public void close() {
        decoder.close();
        candidates.close();
        arena.close();
    }
}
