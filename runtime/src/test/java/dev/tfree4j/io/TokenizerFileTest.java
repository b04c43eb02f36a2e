package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerFileTest {
    @TempDir
    Path tmp;

    static Path sampleTokenizer() {
        return Fixtures.refA().resolve("checkpoint/tokenizer/tokenizer_sample_truncated_table.pt");
    }

    static List<String> wordsJson() throws IOException {
        return new ObjectMapper().readValue(Fixtures.refA().resolve("dictionary/words.json").toFile(), new TypeReference<>() {});
    }

    @Test
    void sampleTokenizerMatchesDictionaryFiles() throws IOException {
        Path dict = Fixtures.refA().resolve("dictionary");
        try (Arena arena = Arena.ofConfined()) {
            TokenizerFile tf = TokenizerFile.read(sampleTokenizer(), arena);
            Tensor table = tf.trigramToVocab().orElseThrow();
            assertArrayEquals(new long[] {4096, 4}, table.shape());
            assertEquals(DType.I64, table.dtype());
            tf.checkIds(1024);

            TokenizerFile.Dictionary d = tf.dictionary().orElseThrow();
            List<String> words = wordsJson();
            assertEquals(words, d.words());
            assertEquals(words, tf.words());
            assertMatchesNpy("words_to_weights_word_indices", dict, d.wordIndices());
            assertMatchesNpy("words_to_weights_token_indices", dict, d.tokenIndices());
            assertMatchesNpy("words_to_weights_word_indices_edges", dict, d.wordIndicesEdges());
            assertMatchesNpy("words_to_weights_token_indices_edges", dict, d.tokenIndicesEdges());
            assertMatchesNpy("word_trigram_counts", dict, d.wordTrigramCounts());
            assertMatchesNpy("word_counts", dict, d.wordCounts());

            // word_counter_full: the Counter the dictionary was built from, plus the special words added with count 0.
            LinkedHashMap<String, Long> counter = DictionaryFiles.readCounterPickle(dict.resolve("top_words_counter.pckl"));
            Map<String, Long> full = tf.wordCounterFull();
            assertEquals(Set.copyOf(words), full.keySet());
            for (String w : words) assertEquals(counter.getOrDefault(w, 0L), full.get(w), w);

            ModelFormatException e = assertThrows(ModelFormatException.class, () -> tf.checkIds(1000));
            assertTrue(e.getMessage().contains("is not a vocab id in [0, 1000)"), e.getMessage());
        }
    }

    private static void assertMatchesNpy(String name, Path dict, Tensor actual) {
        Npy.Array expected = Npy.read(dict.resolve(name + ".npy"));
        assertArrayEquals(expected.shape(), actual.shape(), name);
        assertEquals(DType.I64, actual.dtype(), name);
        assertArrayEquals(expected.longs(), actual.toLongArray(), name);
        assertEquals(name, actual.name());
    }

    @Test
    void tokenizerWithoutDictionary() throws IOException {
        // As saved straight from training: table only, dictionary entries None / empty.
        byte[] pkl = PickleBytes.proto(2).op('}').mark()
                .str("trigram_to_vocab").tensor("LongStorage", "0", 6, 0, new long[] {3, 2}, new long[] {2, 1})
                .str("words").op(']')
                .str("words_to_weights_word_indices").op('N')
                .str("word_counter_full").op('N')
                .op('u').stop().bytes();
        Path f = tmp.resolve("tokenizer.pt");
        Files.write(f, new RawZip().align(64).add("tokenizer/data.pkl", pkl)
                .add("tokenizer/data/0", longs(0, 1, 2, 3, 4, 5)).bytes());
        try (Arena arena = Arena.ofConfined()) {
            TokenizerFile tf = TokenizerFile.read(f, arena);
            assertTrue(tf.dictionary().isEmpty());
            assertTrue(tf.words().isEmpty());
            assertTrue(tf.wordCounterFull().isEmpty());
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, tf.trigramToVocab().orElseThrow().toLongArray());
        }
    }

    @Test
    void inconsistentDictionaryIsRejected() throws IOException {
        // Two words but only one word count.
        byte[] pkl = PickleBytes.proto(2).op('}').mark()
                .str("words").op(']').mark().str("a").str("b").op('e')
                .str("words_to_weights_word_indices").tensor("LongStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("words_to_weights_token_indices").tensor("LongStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("words_to_weights_word_indices_edges").tensor("LongStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("words_to_weights_token_indices_edges").tensor("LongStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .str("word_trigram_counts").tensor("LongStorage", "1", 2, 0, new long[] {2}, new long[] {1})
                .str("word_counts").tensor("LongStorage", "0", 1, 0, new long[] {1}, new long[] {1})
                .op('u').stop().bytes();
        Path f = tmp.resolve("bad.pt");
        Files.write(f, new RawZip().add("bad/data.pkl", pkl).add("bad/data/0", longs(0)).add("bad/data/1", longs(1, 1)).bytes());
        try (Arena arena = Arena.ofConfined()) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> TokenizerFile.read(f, arena));
            assertTrue(e.getMessage().contains("word_counts has 1 entries, expected 2"), e.getMessage());
        }
    }

    static byte[] longs(long... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }
}
