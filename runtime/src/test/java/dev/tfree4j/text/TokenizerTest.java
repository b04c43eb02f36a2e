package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.io.Npy;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Encoding of the 7 manifest prompts (config A) against the reference's own outputs. */
class TokenizerTest {
    @Test
    void everyPromptOfTheManifest() throws IOException {
        Path refA = Fixtures.refA();
        JsonNode manifest = new ObjectMapper().readTree(refA.resolve("manifest.json").toFile());
        TokenizerConfig config = TokenizerConfig.read(refA.resolve("checkpoint/tokenizer/tokenizer_config.yaml"));
        Tokenizer tok = Tokenizer.hashed(config);
        JsonNode prompts = manifest.get("prompts");
        assertEquals(7, prompts.size());
        for (JsonNode prompt : prompts) {
            String text = prompt.get("prompt").asText();
            String name = prompt.get("dir").asText();
            List<String> split = strings(prompt.get("text_to_words"));
            assertEquals(split, WordSplitter.split(text), name);
            assertEquals(prompt.get("words_to_text_roundtrip_ok").asBoolean(),
                    text.equals(WordSplitter.join(split)), name);

            Encoding enc = tok.encode(text);
            assertEquals(strings(prompt.get("encoded_words")), enc.words(), name);
            assertEquals(prompt.get("num_words").asInt(), enc.nWords(), name);
            WordSplitterTest.checkSpans(text, enc.spans());

            JsonNode details = prompt.get("words_detail");
            assertEquals(enc.nWords(), details.size(), name);
            for (int p = 0; p < enc.nWords(); p++) {
                JsonNode d = details.get(p);
                String word = d.get("word").asText();
                String where = name + " word " + p + " " + word;
                assertEquals(enc.words().get(p), word, where);
                assertEquals(d.get("hashed_as_special").asBoolean(), tok.isHashed(word), where);
                assertEquals(rowMultiset(d.get("rows_in_reference_order")), rowMultiset(enc, p), where);
                assertArrayEquals(VocabHasherTest.ints(d.get("vocab_ids_sorted_with_multiplicity")),
                        tok.vocabIds(word), where);
                assertArrayEquals(VocabHasherTest.ints(d.get("distinct_vocab_ids_sorted")),
                        Arrays.stream(tok.vocabIds(word)).distinct().toArray(), where);
                if (!tok.isHashed(word)) {
                    List<Integer> expected = new ArrayList<>();
                    for (JsonNode hex : d.get("trigrams_utf8_hex_in_reference_order")) {
                        byte[] b = HexFormat.of().parseHex(hex.asText());
                        expected.add(Trigrams.id(b[0], b[1], b[2]));
                    }
                    expected.sort(null);
                    assertEquals(expected, Arrays.stream(Trigrams.ids(word)).sorted().boxed().toList(), where);
                }
            }

            // the reference's model input: same rows per word, as multisets (row order is set order)
            Npy.Array ids = Npy.read(refA.resolve(name).resolve("trigram_token_ids.npy"));
            Npy.Array positions = Npy.read(refA.resolve(name).resolve("trigram_set_position_ids.npy"));
            assertEquals(enc.nRows(), ids.dim(0), name);
            assertEquals(config.vocabPopulation(), ids.dim(1), name);
            assertArrayEquals(Arrays.stream(positions.longs()).mapToInt(Math::toIntExact).toArray(), enc.rowWord(), name);
            for (int p = 0; p < enc.nWords(); p++) {
                int word = p;
                List<String> reference = new ArrayList<>();
                for (int r = 0; r < ids.dim(0); r++) {
                    if (positions.longs()[r] != word) continue;
                    long[] row = Arrays.copyOfRange(ids.longs(), r * ids.dim(1), (r + 1) * ids.dim(1));
                    reference.add(Arrays.toString(Arrays.stream(row).mapToInt(Math::toIntExact).toArray()));
                }
                reference.sort(null);
                assertEquals(reference, rowMultiset(enc, p), name + " word " + p);
            }
        }
    }

    @Test
    void lowercaseConfigLowersTheWholeTextButSpansStayOnTheOriginal() {
        TokenizerConfig config = new TokenizerConfig(true, 1024, 128, 4, 1, "hash", false, "<|endoftext|>", 42, 1);
        Tokenizer tok = Tokenizer.hashed(config);
        String text = "İstanbul Hello";
        Encoding enc = tok.encode(text);
        // "İ" lowercases to "i" + U+0307 (a combining mark, hence a word of its own)
        assertEquals(List.of("i", "<|no_ws|>", "\u0307", "<|no_ws|>", "stanbul", "hello"), enc.words());
        List<Word> spans = enc.spans();
        assertEquals(new Word("i", 0, 1), spans.get(0));
        assertEquals(new Word("\u0307", 1, 0), spans.get(2));
        assertEquals(new Word("stanbul", 1, 7), spans.get(4));
        assertEquals(new Word("hello", 9, 5), spans.get(5));
        assertEquals("Hello", text.substring(spans.get(5).start(), spans.get(5).end()));
        assertArrayEquals(tok.vocabIds("hello"), tok.vocabIds("HELLO"));
    }

    @Test
    void entireWordsHashesEveryWord() {
        TokenizerConfig config = new TokenizerConfig(false, 1024, 128, 4, 1, "hash", true, "<|endoftext|>", 42, 1);
        Tokenizer tok = Tokenizer.hashed(config);
        Encoding enc = tok.encode("Hello world");
        assertEquals(2, enc.nRows());
        assertArrayEquals(tok.hashedWordIds("Hello"), enc.row(0));
        assertArrayEquals(new int[] {0, 1}, enc.rowWord());
    }

    /** The rows of word {@code p} of an encoding, as a sorted list of row strings. */
    static List<String> rowMultiset(Encoding enc, int p) {
        return IntStream.range(0, enc.nRows()).filter(r -> enc.rowWord()[r] == p)
                .mapToObj(r -> Arrays.toString(enc.row(r))).sorted().toList();
    }

    static List<String> rowMultiset(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(Arrays.toString(VocabHasherTest.ints(r))));
        out.sort(null);
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
