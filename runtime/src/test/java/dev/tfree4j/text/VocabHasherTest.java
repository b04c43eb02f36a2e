package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 7B tokenizer's hash table and word encodings against {@code tokenizer_7b_examples.json}. */
class VocabHasherTest {
    @TempDir
    Path tmp;

    private JsonNode examples() throws IOException {
        return new ObjectMapper().readTree(Fixtures.refA().resolve("tokenizer_7b_examples.json").toFile());
    }

    @Test
    void all57SampleRowsBeforeAndAfterTheLowercaseReplacement() throws IOException {
        JsonNode root = examples();
        VocabHasher hasher = new VocabHasher(32000, 10, 2);
        JsonNode before = root.get("sample_rows_before_partial_lowercase");
        JsonNode after = root.get("sample_rows_final");
        assertEquals(57, before.size());
        assertEquals(57, after.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = before.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id = Integer.parseInt(e.getKey());
            assertArrayEquals(ints(e.getValue()), hasher.hashedRow(id), "row " + id + " before");
            assertArrayEquals(ints(after.get(e.getKey())), hasher.row(id), "row " + id + " after");
        }
    }

    @Test
    void all21ExampleWords() throws IOException {
        JsonNode root = examples();
        Path config = tmp.resolve("tokenizer_config.yaml");
        Files.writeString(config, root.get("tokenizer_config").toString());
        Tokenizer tok = Tokenizer.hashed(TokenizerConfig.read(config));
        JsonNode words = root.get("words");
        assertEquals(21, words.size());
        for (JsonNode w : words) {
            String word = w.get("word").asText();
            assertEquals(w.get("hashed_as_special").asBoolean(), tok.isHashed(word), word);
            Encoding enc = tok.encode(word);
            assertEquals(1, enc.nWords(), word);
            if (tok.isHashed(word)) {
                assertArrayEquals(ints(w.get("vocab_ids_in_order")), tok.hashedWordIds(word), word);
                assertArrayEquals(ints(w.get("vocab_ids_sorted")), tok.vocabIds(word), word);
                assertArrayEquals(ints(w.get("encode_trigram_token_ids").get(0)), enc.ids(), word);
                continue;
            }
            JsonNode trigrams = w.get("trigrams_sorted_by_bytes");
            int[] ids = Trigrams.ids(word);
            assertEquals(trigrams.size(), ids.length, word);
            int[] sortedById = new int[ids.length];
            for (int i = 0; i < trigrams.size(); i++) {
                JsonNode t = trigrams.get(i);
                byte[] bytes = HexFormat.of().parseHex(t.get("trigram_utf8_hex").asText());
                int id = t.get("trigram_id").asInt();
                assertEquals(id, Trigrams.id(bytes[0], bytes[1], bytes[2]), word);
                assertArrayEquals(bytes, Trigrams.bytes(id));
                assertEquals(t.get("is_edge").asBoolean(), Trigrams.isEdge(id), word + " " + id);
                assertArrayEquals(ints(t.get("row_after_lowercase_replacement")), tok.table().row(id), word + " " + id);
                sortedById[i] = id;
            }
            assertArrayEquals(sorted(sortedById), sorted(ids), word);
            assertArrayEquals(ints(w.get("vocab_ids_sorted_with_multiplicity")), tok.vocabIds(word), word);
            assertArrayEquals(ints(w.get("distinct_vocab_ids_sorted")),
                    Arrays.stream(tok.vocabIds(word)).distinct().toArray(), word);
            assertEquals(TokenizerTest.rowMultiset(w.get("encode_trigram_token_ids")),
                    TokenizerTest.rowMultiset(enc, 0), word);
        }
    }

    @Test
    void specExamples() {
        assertArrayEquals(new int[] {6637600, 7103816, 7105637, 7302252, 2125676}, Trigrams.ids("Hello"));
        assertArrayEquals(new int[] {Trigrams.id((byte) ' ', (byte) 'a', (byte) ' ')}, Trigrams.ids("a"));
        assertEquals(3, Trigrams.ids("aaa").length);
        assertTrue(Trigrams.isEdge(6637600));
        assertFalse(Trigrams.isEdge(7103816));
        assertTrue(Trigrams.isHashedWord("<|>", false));
        assertFalse(Trigrams.isHashedWord("<", false));
        assertTrue(Trigrams.isHashedWord("word", true));
        VocabHasher hasher = new VocabHasher(32000, 10, 2);
        // "HELLO" row "ELL": own smallest 8, last 2 from "ell" -> unsorted
        int ell = Trigrams.id((byte) 'E', (byte) 'L', (byte) 'L');
        assertArrayEquals(new int[] {4954, 7067, 11860, 14924, 17826, 19813, 28101, 28779, 22072, 31915},
                hasher.row(ell));
        assertArrayEquals(new int[] {4616, 28554, 9617, 28722, 23728, 27755, 26516, 19858, 27164, 19790},
                hasher.hashedWordIds("<|ws|>"));
        // rows are handed out as copies: changing one does not change the cache
        int[] row = hasher.row(ell);
        row[0] = -1;
        assertEquals(4954, hasher.row(ell)[0]);
        // K = 0: no replacement at all
        VocabHasher plain = new VocabHasher(32000, 10, 0);
        assertArrayEquals(plain.hashedRow(ell), plain.row(ell));
        assertEquals(10, plain.hashedWordIds("<|ws|>").length);
    }

    @Test
    void largeVocabularyUsesTheGeneralReduction() {
        // V above 2^28 takes the Horner path; both paths must agree with BigInteger
        for (int v : new int[] {7, 32000, 1 << 28, (1 << 28) + 3, Integer.MAX_VALUE}) {
            Md5Mod md5 = new Md5Mod(v);
            for (String s : new String[] {"", "a", "6637600_3_0", "x".repeat(200)}) {
                byte[] digest = md5(s);
                int expected = new java.math.BigInteger(1, digest).mod(java.math.BigInteger.valueOf(v)).intValue();
                assertEquals(expected, md5.of(s), s + " mod " + v);
            }
        }
    }

    private static byte[] md5(String s) {
        try {
            return java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }
}
