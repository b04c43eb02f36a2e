package dev.tfree4j.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Turns text into model input (docs/spec/tfree.md §2-4): split into words, then vocab-id rows per word. */
public final class Tokenizer {
    private final TokenizerConfig config;
    private final TrigramTable table;
    // hashed words never touch the table: their ids depend only on (V, P, K)
    private final VocabHasher wordHasher;

    public Tokenizer(TokenizerConfig config, TrigramTable table) {
        this.config = config;
        this.table = table;
        this.wordHasher = table instanceof VocabHasher h
                && h.vocabSize() == config.vocabSize()
                && h.population() == config.vocabPopulation()
                && h.partialLowercase() == config.vocabPopulationPartialLowercase()
                ? h : new VocabHasher(config);
    }

    /** A tokenizer with the lazily computed hash table of {@code config} (initialize "hash"). */
    public static Tokenizer hashed(TokenizerConfig config) {
        if (!TokenizerConfig.INITIALIZE_HASH.equals(config.initialize())) {
            throw new IllegalArgumentException(
                    "the \"" + config.initialize() + "\" table cannot be recomputed; read it from tokenizer.pt");
        }
        return new Tokenizer(config, new VocabHasher(config));
    }

    public TokenizerConfig config() {
        return config;
    }

    public TrigramTable table() {
        return table;
    }

    /** Encodes {@code text}; spans refer to {@code text} itself even when it is lowercased. */
    public Encoding encode(String text) {
        String modelText = normalize(text);
        List<Word> split = WordSplitter.splitWithSpans(modelText);
        if (!modelText.equals(text)) split = LowercaseSpans.toOriginal(text, modelText, split);
        int p = config.vocabPopulation();
        List<String> words = new ArrayList<>(split.size());
        IntList ids = new IntList();
        IntList rowWord = new IntList();
        for (int pos = 0; pos < split.size(); pos++) {
            String word = split.get(pos).text();
            words.add(word);
            for (int[] row : rows(word)) {
                ids.addAll(row);
                rowWord.add(pos);
            }
        }
        return new Encoding(words, split, p, ids.toArray(), rowWord.toArray());
    }

    /**
     * All vocab ids of one word (already split, as fed to the model), sorted, with multiplicity:
     * exactly what the embedding sums for it. The word is lowercased first if the config says so.
     */
    public int[] vocabIds(String word) {
        List<int[]> rows = rows(normalize(word));
        int[] all = new int[rows.size() * config.vocabPopulation()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, all, r * config.vocabPopulation(), config.vocabPopulation());
        }
        Arrays.sort(all);
        return all;
    }

    /** The rows of one word: a hashed row, or one row per distinct trigram in first-occurrence order. */
    List<int[]> rows(String word) {
        if (isHashed(word)) return List.of(wordHasher.hashedWordIds(word));
        int[] trigrams = Trigrams.ids(word);
        List<int[]> rows = new ArrayList<>(trigrams.length);
        for (int t : trigrams) rows.add(checkedRow(t));
        return rows;
    }

    /** Whether {@code word} is hashed as a whole rather than cut into trigrams. */
    public boolean isHashed(String word) {
        return Trigrams.isHashedWord(word, config.entireWords());
    }

    /** The P ids of a hashed word (docs/spec/tfree.md §3.3). */
    public int[] hashedWordIds(String word) {
        return wordHasher.hashedWordIds(word);
    }

    /** The table row of a trigram, checked against the config (a foreign table may disagree). */
    int[] checkedRow(int trigramId) {
        int[] row = table.row(trigramId);
        if (row.length != config.vocabPopulation()) {
            throw new IllegalStateException("trigram table row has " + row.length
                    + " ids, config says vocab_population " + config.vocabPopulation());
        }
        return row;
    }

    /** The text the model sees: lowercased as a whole when configured (Python's str.lower()). */
    String normalize(String text) {
        return config.lowercase() ? text.toLowerCase(Locale.ROOT) : text;
    }

    /** A growable int array; encoding allocates no boxed integers. */
    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        void addAll(int[] vs) {
            if (n + vs.length > a.length) a = Arrays.copyOf(a, Math.max(a.length * 2, n + vs.length));
            System.arraycopy(vs, 0, a, n, vs.length);
            n += vs.length;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
