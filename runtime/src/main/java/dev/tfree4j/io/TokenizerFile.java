package dev.tfree4j.io;

import dev.tfree4j.ModelFormatException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code tokenizer/tokenizer.pt} (docs/spec/tfree.md §7.4): a torch zip whose pickle is a dict holding the
 * trigram → vocab-id table and, when the tokenizer was saved after loading a dictionary, the
 * candidate words with their precomputed id patterns (§6.1). Tensors are zero-copy slices of the
 * mapped file (lifetime = the arena).
 *
 * <p>Structural consistency (dtypes, ranks, pair lengths, word indices within the word list) is
 * checked on reading; that ids are below the vocabulary size needs the tokenizer config, see
 * {@link #checkIds(int)}.
 */
public final class TokenizerFile {
    /** At most one row per 24-bit trigram hash. */
    public static final long MAX_TABLE_ROWS = 1L << 24;

    /**
     * The dictionary stored in the file. Pattern pairs: for i, word {@code wordIndices[i]} has
     * vocab id {@code tokenIndices[i]} in its non-edge set I(w); the {@code ...Edges} pair holds
     * the edge set E(w).
     */
    public record Dictionary(List<String> words, Tensor wordIndices, Tensor tokenIndices,
                             Tensor wordIndicesEdges, Tensor tokenIndicesEdges,
                             Tensor wordTrigramCounts, Tensor wordCounts) {}

    private final Path file;
    private final Tensor trigramToVocab;
    private final Dictionary dictionary;
    private final Map<String, Long> wordCounterFull;

    private TokenizerFile(Path file, Tensor trigramToVocab, Dictionary dictionary, Map<String, Long> wordCounterFull) {
        this.file = file;
        this.trigramToVocab = trigramToVocab;
        this.dictionary = dictionary;
        this.wordCounterFull = wordCounterFull;
    }

    public static TokenizerFile read(Path file, Arena arena) {
        if (!Files.isRegularFile(file)) throw new ModelFormatException(file, "file not found");
        return read(file, ZipArchive.mapReadOnly(file, arena));
    }

    /** Reads a tokenizer file already in memory; {@code file} only names it in messages. */
    public static TokenizerFile read(Path file, MemorySegment bytes) {
        Object root = TorchArchive.read(file, bytes).root();
        if (!(root instanceof Map<?, ?> map)) {
            throw new ModelFormatException(file, "tokenizer file must hold a dict, found a " + Pickle.describe(root));
        }
        Reader r = new Reader(file, map);
        Tensor table = r.tensor("trigram_to_vocab", 2);
        if (table != null && (table.dim(0) > MAX_TABLE_ROWS || table.dim(1) < 1)) {
            throw new ModelFormatException(file, "trigram_to_vocab has shape " + java.util.Arrays.toString(table.shape())
                    + "; expected at most 2^24 rows and at least one column");
        }
        Map<String, Long> counter = Map.of();
        Object full = map.get("word_counter_full");
        if (full instanceof Map<?, ?> m) {
            counter = Collections.unmodifiableMap(DictionaryFiles.wordCounts(file, m, "word_counter_full"));
        } else if (full != null) {
            throw new ModelFormatException(file, "word_counter_full is a " + Pickle.describe(full) + ", not a dict");
        }
        return new TokenizerFile(file, table, r.dictionary(), counter);
    }

    public Path file() {
        return file;
    }

    /** The [rows ≤ 2^24, P] int64 table, absent when the file stores none. */
    public Optional<Tensor> trigramToVocab() {
        return Optional.ofNullable(trigramToVocab);
    }

    /** The stored dictionary; absent when {@code words} is None or empty. */
    public Optional<Dictionary> dictionary() {
        return Optional.ofNullable(dictionary);
    }

    /** The dictionary's words (index = token id), empty without a dictionary. */
    public List<String> words() {
        return dictionary == null ? List.of() : dictionary.words();
    }

    /** Training counts of all words seen ({@code word_counter_full}), empty when absent. */
    public Map<String, Long> wordCounterFull() {
        return wordCounterFull;
    }

    /** Checks that every vocab id in the table and the patterns lies in [0, vocabSize). */
    public void checkIds(int vocabSize) {
        if (trigramToVocab != null) checkRange(trigramToVocab, vocabSize);
        if (dictionary != null) {
            checkRange(dictionary.tokenIndices(), vocabSize);
            checkRange(dictionary.tokenIndicesEdges(), vocabSize);
        }
    }

    private void checkRange(Tensor t, long limit) {
        long n = t.numel();
        for (long i = 0; i < n; i++) {
            long v = t.getLong(i);
            if (v < 0 || v >= limit) {
                throw new ModelFormatException(file, t.name() + "[" + i + "] = " + v + " is not a vocab id in [0, " + limit + ")");
            }
        }
    }

    /** Typed access to the file's dict. */
    private record Reader(Path file, Map<?, ?> map) {
        Tensor tensor(String key, int rank) {
            Object o = map.get(key);
            if (o == null) return null;
            if (!(o instanceof Tensor t)) throw bad(key + " is a " + Pickle.describe(o) + ", not a tensor");
            if (t.dtype() != DType.I64 || t.rank() != rank) {
                throw bad(key + " is " + t.dtype() + java.util.Arrays.toString(t.shape()) + ", expected a rank-" + rank + " I64 tensor");
            }
            return t;
        }

        Tensor required(String key, long length) {
            Tensor t = tensor(key, 1);
            if (t == null) throw bad("has words but no " + key);
            if (length >= 0 && t.dim(0) != length) {
                throw bad(key + " has " + t.dim(0) + " entries, expected " + length);
            }
            return t;
        }

        Dictionary dictionary() {
            Object w = map.get("words");
            if (w == null) return null;
            if (!(w instanceof List<?> list)) throw bad("words is a " + Pickle.describe(w) + ", not a list");
            if (list.isEmpty()) return null;
            List<String> words = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof String s)) throw bad("words[" + words.size() + "] is a " + Pickle.describe(o) + ", not a str");
                words.add(s);
            }
            long n = words.size();
            Tensor wi = required("words_to_weights_word_indices", -1);
            Tensor ti = required("words_to_weights_token_indices", wi.dim(0));
            Tensor we = required("words_to_weights_word_indices_edges", -1);
            Tensor te = required("words_to_weights_token_indices_edges", we.dim(0));
            Tensor trigramCounts = required("word_trigram_counts", n);
            Tensor counts = required("word_counts", n);
            checkBetween(wi, 0, n);
            checkBetween(we, 0, n);
            checkBetween(trigramCounts, 1, Long.MAX_VALUE);
            return new Dictionary(Collections.unmodifiableList(words), wi, ti, we, te, trigramCounts, counts);
        }

        private void checkBetween(Tensor t, long lo, long hi) {
            long size = t.numel();
            for (long i = 0; i < size; i++) {
                long v = t.getLong(i);
                if (v < lo || v >= hi) throw bad(t.name() + "[" + i + "] = " + v + " is outside [" + lo + ", " + hi + ")");
            }
        }

        private ModelFormatException bad(String problem) {
            return new ModelFormatException(file, problem);
        }
    }
}
