package dev.tfree4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.UnsafePickleException;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DictionaryFilesTest {
    @TempDir
    Path tmp;

    @Test
    void counterPickleIsConsistentWithTheLoadedDictionary() throws IOException {
        Path dict = Fixtures.refA().resolve("dictionary");
        LinkedHashMap<String, Long> counter = DictionaryFiles.readCounterPickle(dict.resolve("top_words_counter.pckl"));
        assertEquals(2000, counter.size());

        // words.json = the counter stably sorted by count (desc), then the 8 special words it lacked.
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counter.entrySet());
        sorted.sort(Comparator.comparing(Map.Entry<String, Long>::getValue).reversed()); // List.sort is stable
        List<String> words = TokenizerFileTest.wordsJson();
        assertEquals(2008, words.size());
        assertEquals(sorted.stream().map(Map.Entry::getKey).toList(), words.subList(0, 2000));
        for (String special : words.subList(2000, 2008)) {
            assertTrue(special.startsWith("<|") && !counter.containsKey(special), special);
        }
        long[] counts = Npy.read(dict.resolve("word_counts.npy")).longs();
        for (int i = 0; i < words.size(); i++) assertEquals(counter.getOrDefault(words.get(i), 0L), counts[i], words.get(i));
    }

    @Test
    void plainDictPickleAndForbiddenGlobals() throws IOException {
        Path plain = tmp.resolve("plain.pckl");
        Files.write(plain, PickleBytes.proto(4).op('}').mark().str8("b").integer(1).str8("a").integer(1L << 40).op('u').stop().bytes());
        assertEquals(List.of("b", "a"), List.copyOf(DictionaryFiles.readCounterPickle(plain).keySet()));
        assertEquals(1L << 40, DictionaryFiles.readCounterPickle(plain).get("a"));

        Path evil = tmp.resolve("evil.pckl");
        Files.write(evil, PickleBytes.proto(4).stackGlobal("builtins", "eval").str8("__import__('os')").op(0x85).op('R').stop().bytes());
        UnsafePickleException e = assertThrows(UnsafePickleException.class, () -> DictionaryFiles.readCounterPickle(evil));
        assertTrue(e.getMessage().contains("builtins.eval") && e.getMessage().contains("evil.pckl"), e.getMessage());

        Path wrongValue = tmp.resolve("value.pckl");
        Files.write(wrongValue, PickleBytes.proto(4).op('}').str8("a").str8("x").op('s').stop().bytes());
        ModelFormatException m = assertThrows(ModelFormatException.class, () -> DictionaryFiles.readCounterPickle(wrongValue));
        assertTrue(m.getMessage().contains("count of 'a' is str 'x'"), m.getMessage());

        Path list = tmp.resolve("list.pckl");
        Files.write(list, PickleBytes.proto(4).op(']').stop().bytes());
        m = assertThrows(ModelFormatException.class, () -> DictionaryFiles.readCounterPickle(list));
        assertTrue(m.getMessage().contains("expected a pickled Counter"), m.getMessage());

        m = assertThrows(ModelFormatException.class, () -> DictionaryFiles.readCounterPickle(tmp.resolve("absent.pckl")));
        assertTrue(m.getMessage().contains("absent.pckl: file not found"), m.getMessage());
    }

    @Test
    void wordListRoundTripsEveryFixtureWordAndAwkwardOnes() throws IOException {
        LinkedHashMap<String, Long> counter = DictionaryFiles.readCounterPickle(
                Fixtures.refA().resolve("dictionary/top_words_counter.pckl"));
        counter.put("<|2<-\n->|>", 0L);
        counter.put("tab\there", 3L);
        counter.put("back\\slash\\n", 4L);
        counter.put(" lead and trail ", 5L);
        counter.put("cr\r", 6L);
        counter.put("\u00a0", 7L);
        Path f = tmp.resolve("words.tsv");
        DictionaryFiles.writeWordList(f, counter);
        assertEquals(counter, DictionaryFiles.readWordList(f));
        assertEquals(List.copyOf(counter.keySet()), List.copyOf(DictionaryFiles.readWordList(f).keySet()));
        assertTrue(Files.readString(f).contains("back\\\\slash\\\\n\t4\n"));
    }

    @Test
    void wordListWithoutCountsKeepsFileOrder() throws IOException {
        Path f = tmp.resolve("plain.txt");
        Files.writeString(f, "\uFEFFthe\r\n\n,\nHello\\nWorld\n\n", StandardCharsets.UTF_8);
        LinkedHashMap<String, Long> words = DictionaryFiles.readWordList(f);
        assertEquals(List.of("the", ",", "Hello\nWorld"), List.copyOf(words.keySet()));
        assertEquals(List.of(3L, 2L, 1L), List.copyOf(words.values()));
    }

    @Test
    void wordListErrorsNameFileAndLine() throws IOException {
        expectError("a\t1\nb\n", "line 2: either every line has a TAB");
        expectError("a\t1\nb\t-3\n", "line 2: count '-3'");
        expectError("a\t99999999999999999999\n", "line 1: count '99999999999999999999'");
        expectError("a\nb\na\n", "line 3: duplicate word (first on line 1)");
        expectError("a\\x\n", "line 1: unknown escape \\x");
        expectError("ok\nend\\\n", "line 2: word ends with a lone backslash");
        expectError("\t5\n", "line 1: empty word");
        Path bad = tmp.resolve("latin1.txt");
        Files.write(bad, new byte[] {'a', (byte) 0xE4, '\n'});
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DictionaryFiles.readWordList(bad));
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    private void expectError(String text, String fragment) throws IOException {
        Path f = tmp.resolve("list.txt");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DictionaryFiles.readWordList(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void wordListCheckRefusalsNameTheLine(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("w.txt");
        Files.writeString(f, "a\n\nb c\n");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DictionaryFiles.readWordList(f, w -> {
            if (w.contains(" ")) throw new IllegalArgumentException("word '" + w + "' has a space");
        }));
        assertEquals(f + ": line 3: word 'b c' has a space", e.getMessage());
    }
}
