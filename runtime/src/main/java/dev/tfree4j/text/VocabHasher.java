package dev.tfree4j.text;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The {@code initialize: "hash"} trigram table, computed on demand (docs/spec/tfree.md §3.1-3.3).
 *
 * <p>Row i holds P distinct ids: for slot k, the first {@code MD5("i_k_j") mod V} (j = 0, 1, ...)
 * not already in the row; the row is then sorted. With K > 0, a trigram of ASCII letters and
 * spaces containing an uppercase letter takes its last K ids from its lowercase form's row, so
 * "The" and "the" share part of their embedding. Rows depend only on (i, V, P, K), so they are
 * computed lazily and cached instead of building the 2^24-row table.
 */
public final class VocabHasher implements TrigramTable {
    /** Rows cached at most; beyond this rows are recomputed (a few microseconds each). */
    private static final int CACHE_LIMIT = 1 << 20;

    private final int vocabSize;
    private final int population;
    private final int partialLowercase;
    // MessageDigest is not thread-safe: one per thread for lazily computed rows and hashed words
    private final ThreadLocal<Md5Mod> md5;
    private final ConcurrentHashMap<Integer, int[]> cache = new ConcurrentHashMap<>();

    public VocabHasher(int vocabSize, int population, int partialLowercase) {
        if (vocabSize < 1) throw new IllegalArgumentException("vocab size must be >= 1: " + vocabSize);
        if (population < 1 || population > vocabSize) {
            throw new IllegalArgumentException("population must be in [1, " + vocabSize + "]: " + population);
        }
        if (partialLowercase < 0 || partialLowercase > population) {
            throw new IllegalArgumentException(
                    "partial lowercase must be in [0, " + population + "]: " + partialLowercase);
        }
        this.vocabSize = vocabSize;
        this.population = population;
        this.partialLowercase = partialLowercase;
        this.md5 = ThreadLocal.withInitial(() -> new Md5Mod(vocabSize));
    }

    public VocabHasher(TokenizerConfig config) {
        this(config.vocabSize(), config.vocabPopulation(), config.vocabPopulationPartialLowercase());
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int population() {
        return population;
    }

    public int partialLowercase() {
        return partialLowercase;
    }

    @Override
    public int[] row(int trigramId) {
        if (trigramId < 0 || trigramId >= Trigrams.COUNT) {
            throw new IllegalArgumentException("not a trigram id: " + trigramId);
        }
        int[] row = cache.get(trigramId);
        if (row == null) {
            row = computeRow(trigramId, new Scratch());
            if (cache.size() < CACHE_LIMIT) cache.putIfAbsent(trigramId, row);
        }
        return row.clone();
    }

    /** Row {@code trigramId} as the MD5 recipe builds it (sorted), before the lowercase replacement. */
    public int[] hashedRow(int trigramId) {
        if (trigramId < 0 || trigramId >= Trigrams.COUNT) {
            throw new IllegalArgumentException("not a trigram id: " + trigramId);
        }
        int[] row = new int[population];
        hashRow(trigramId, row, 0, new Scratch());
        return row;
    }

    /**
     * The P ids of a word hashed as a whole (special tokens; every word with entire_words), docs/spec/tfree.md §3.3:
     * {@code MD5(w + "_" + i) mod V} for i < P-K, then {@code MD5(lower(w) + "_lower_" + i) mod V}
     * for i < K. Not sorted, not de-duplicated: this order is the reference's.
     */
    public int[] hashedWordIds(String word) {
        int own = population - partialLowercase;
        int[] ids = new int[population];
        for (int i = 0; i < own; i++) ids[i] = md5.get().of(word + "_" + i);
        String lower = word.toLowerCase(Locale.ROOT);
        for (int i = 0; i < partialLowercase; i++) ids[own + i] = md5.get().of(lower + "_lower_" + i);
        return ids;
    }

    /** Receives consecutive blocks of the full table, in row order, on the calling thread. */
    @FunctionalInterface
    public interface ChunkConsumer {
        /**
         * Rows {@code firstRow .. firstRow+rowCount-1}, row-major {@code [rowCount, P]}: {@code hashed}
         * as built by the MD5 recipe (sorted rows), {@code replaced} after the partial-lowercase
         * replacement (the final table). Both arrays belong to the consumer.
         */
        void accept(int firstRow, int rowCount, int[] hashed, int[] replaced);
    }

    /**
     * Computes the whole [2^24, P] table on {@code threads} threads, handing it to {@code consumer}
     * chunk by chunk in row order, so that fingerprints can be streamed without holding the table.
     */
    public void forEachChunk(int rowsPerChunk, int threads, ChunkConsumer consumer) {
        if (rowsPerChunk < 1 || threads < 1) throw new IllegalArgumentException("need >= 1 rows and threads");
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tfree4j-vocab-hasher");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<int[][]>> window = new ArrayDeque<>();
            int next = 0;
            int delivered = 0;
            while (delivered < Trigrams.COUNT) {
                // keep a few chunks in flight ahead of the consumer, but never the whole table
                while (next < Trigrams.COUNT && window.size() < 2 * threads) {
                    int first = next;
                    int count = Math.min(rowsPerChunk, Trigrams.COUNT - first);
                    window.add(pool.submit(() -> computeChunk(first, count)));
                    next += count;
                }
                int[][] chunk = window.poll().get();
                int count = chunk[0].length / population;
                consumer.accept(delivered, count, chunk[0], chunk[1]);
                delivered += count;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while computing the trigram table", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("computing the trigram table failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private int[][] computeChunk(int first, int count) {
        Scratch scratch = new Scratch();
        int[] hashed = new int[count * population];
        for (int r = 0; r < count; r++) hashRow(first + r, hashed, r * population, scratch);
        int[] replaced = hashed.clone();
        for (int r = 0; r < count; r++) {
            int lower = lowercaseSource(first + r);
            if (lower >= 0) copyLowercaseTail(row(lower), replaced, r * population);
        }
        return new int[][] {hashed, replaced};
    }

    /** The final row: the hashed row, with the lowercase tail where the rule applies. */
    private int[] computeRow(int id, Scratch scratch) {
        int[] row = new int[population];
        hashRow(id, row, 0, scratch);
        int lower = lowercaseSource(id);
        if (lower >= 0) copyLowercaseTail(row(lower), row, 0); // lowercase rows are never replaced
        return row;
    }

    private void copyLowercaseTail(int[] lowerRow, int[] dst, int offset) {
        int from = population - partialLowercase;
        System.arraycopy(lowerRow, from, dst, offset + from, partialLowercase);
    }

    /**
     * The trigram whose row supplies the last K ids of {@code id}'s row, or -1: only trigrams made
     * of ASCII letters and spaces with at least one uppercase letter are tied (docs/spec/tfree.md §3.2).
     */
    private int lowercaseSource(int id) {
        if (partialLowercase == 0) return -1;
        int lower = 0;
        boolean upper = false;
        for (int shift = 0; shift < 24; shift += 8) {
            int b = (id >>> shift) & 0xFF;
            if (b >= 'A' && b <= 'Z') {
                upper = true;
                b += 'a' - 'A';
            } else if (b != ' ' && (b < 'a' || b > 'z')) {
                return -1;
            }
            lower |= b << shift;
        }
        return upper ? lower : -1;
    }

    /** Spec §3.1 for row {@code id}, written sorted into {@code dst[offset .. offset+P)}. */
    private void hashRow(int id, int[] dst, int offset, Scratch s) {
        // message "id_k_j": the "id_" prefix is shared by every digest of the row
        int prefix = writeDecimal(id, s.msg, 0);
        s.msg[prefix++] = '_';
        for (int k = 0; k < population; k++) {
            int withK = writeDecimal(k, s.msg, prefix);
            s.msg[withK++] = '_';
            for (int j = 0; ; j++) {
                int len = writeDecimal(j, s.msg, withK);
                int v = s.md5.of(s.msg, len);
                if (!contains(dst, offset, k, v)) {
                    dst[offset + k] = v;
                    break;
                }
            }
        }
        Arrays.sort(dst, offset, offset + population);
    }

    private static boolean contains(int[] a, int offset, int n, int v) {
        for (int i = 0; i < n; i++) if (a[offset + i] == v) return true;
        return false;
    }

    /** Writes {@code value}'s ASCII decimal digits at {@code at}; returns the index after them. */
    private static int writeDecimal(int value, byte[] out, int at) {
        int digits = 1;
        for (int x = value; x >= 10; x /= 10) digits++;
        for (int i = at + digits - 1, x = value; i >= at; i--, x /= 10) out[i] = (byte) ('0' + x % 10);
        return at + digits;
    }

    /** Per-thread buffers for the hot loop. */
    private final class Scratch {
        final byte[] msg = new byte[40]; // "id_k_j": at most 8 + 1 + 10 + 1 + 10 digits and separators
        final Md5Mod md5 = VocabHasher.this.md5.get();
    }
}
