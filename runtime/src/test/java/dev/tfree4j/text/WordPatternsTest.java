package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.Npy;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Dictionary patterns of config A's 2008 words against the reference's {@code words_to_weights_*}. */
class WordPatternsTest {
    @Test
    void fixtureDictionaryPatterns() throws IOException {
        Path refA = Fixtures.refA();
        Path dict = refA.resolve("dictionary");
        List<String> words = TokenizerTest.strings(new ObjectMapper().readTree(dict.resolve("words.json").toFile()));
        assertEquals(2008, words.size());
        Tokenizer tok = Tokenizer.hashed(TokenizerConfig.read(refA.resolve("checkpoint/tokenizer/tokenizer_config.yaml")));
        WordPatterns patterns = WordPatterns.build(words, tok);
        assertEquals(words, patterns.words());

        List<TreeSet<Integer>> inner = sets(dict, "words_to_weights_word_indices.npy",
                "words_to_weights_token_indices.npy", words.size());
        List<TreeSet<Integer>> edge = sets(dict, "words_to_weights_word_indices_edges.npy",
                "words_to_weights_token_indices_edges.npy", words.size());
        long[] counts = Npy.read(dict.resolve("word_trigram_counts.npy")).longs();
        for (int i = 0; i < words.size(); i++) {
            String where = "word " + i + " " + words.get(i);
            // our ids are sorted within a word; the reference's order is CPython set order: compare sets
            assertArrayEquals(toArray(inner.get(i)), patterns.ids(i), where);
            assertArrayEquals(toArray(edge.get(i)), patterns.edgeIds(i), where);
            assertEquals(counts[i], patterns.nTrigrams()[i], where);
        }
        assertEquals(34802, patterns.ids().length);
        assertEquals(15728, patterns.edgeIds().length);
        assertEquals(34802, patterns.offsets()[words.size()]);
        assertEquals(15728, patterns.edgeOffsets()[words.size()]);
    }

    @Test
    void fixtureDictionaryOrderFromItsCounter() throws IOException {
        Path dict = Fixtures.refA().resolve("dictionary");
        List<String> words = TokenizerTest.strings(new ObjectMapper().readTree(dict.resolve("words.json").toFile()));
        long[] counts = Npy.read(dict.resolve("word_counts.npy")).longs();
        // the pickled counter holds the first 2000 words with these counts, in this order
        LinkedHashMap<String, Long> counter = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) counter.put(words.get(i), counts[i]);
        assertEquals(words, WordPatterns.orderDictionary(counter));
    }

    @Test
    void orderDictionaryDropsNonPositiveKeepsTiesInInsertionOrder() {
        LinkedHashMap<String, Long> counter = new LinkedHashMap<>();
        counter.put("b", 2L);
        counter.put("<|ws|>", 0L); // dropped, then re-added at the end with count 0
        counter.put("a", 5L);
        counter.put("c", 2L);
        counter.put("d", -1L);
        counter.put("<|endoftext|>", 2L);
        List<String> order = WordPatterns.orderDictionary(counter);
        List<String> expected = new ArrayList<>(List.of("a", "b", "c", "<|endoftext|>"));
        for (String s : WordPatterns.DICTIONARY_SPECIALS) if (!s.equals("<|endoftext|>")) expected.add(s);
        assertEquals(expected, order);
        assertEquals(12, WordPatterns.DICTIONARY_SPECIALS.size());
    }

    @Test
    void aWordThatIsNotOneWordIsRejectedByName() {
        Tokenizer tok = Tokenizer.hashed(new TokenizerConfig(false, 1024, 128, 4, 1, "hash", false, "<|endoftext|>", 42, 1));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> WordPatterns.build(List.of("fine", "not fine"), tok));
        assertTrue(e.getMessage().contains("\"not fine\""), e.getMessage());
        // a single space is one word ("<|ws|>") and takes that word's pattern
        WordPatterns p = WordPatterns.build(List.of(" ", "<|ws|>"), tok);
        assertArrayEquals(p.ids(1), p.ids(0));
        assertEquals(1, p.nTrigrams()[0]);
        assertEquals(0, p.edgeIds(0).length);
    }

    @Test
    void lowercasePatternsComeFromTheLowercasedWord() {
        Tokenizer tok = Tokenizer.hashed(new TokenizerConfig(true, 1024, 128, 4, 1, "hash", false, "<|endoftext|>", 42, 1));
        WordPatterns p = WordPatterns.build(List.of("Hello", "hello"), tok);
        assertEquals(List.of("Hello", "hello"), p.words());
        assertArrayEquals(p.ids(1), p.ids(0));
        assertArrayEquals(p.edgeIds(1), p.edgeIds(0));
    }

    private static List<TreeSet<Integer>> sets(Path dict, String wordFile, String tokenFile, int n) {
        long[] w = Npy.read(dict.resolve(wordFile)).longs();
        long[] t = Npy.read(dict.resolve(tokenFile)).longs();
        assertEquals(w.length, t.length);
        List<TreeSet<Integer>> sets = new ArrayList<>();
        for (int i = 0; i < n; i++) sets.add(new TreeSet<>());
        for (int k = 0; k < w.length; k++) {
            boolean added = sets.get(Math.toIntExact(w[k])).add(Math.toIntExact(t[k]));
            assertTrue(added, "reference pairs are sets: no repeats within a word");
        }
        return sets;
    }

    private static int[] toArray(TreeSet<Integer> set) {
        return set.stream().mapToInt(Integer::intValue).toArray();
    }
}
