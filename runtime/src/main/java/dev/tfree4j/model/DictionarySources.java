package dev.tfree4j.model;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.decode.Dictionary;
import dev.tfree4j.engine.NativeContext;
import dev.tfree4j.io.DictionaryFiles;
import dev.tfree4j.io.TokenizerFile;
import dev.tfree4j.text.Tokenizer;
import dev.tfree4j.text.WordPatterns;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Where a dictionary comes from (docs/spec/tfree.md §6.1): a pickled {@code collections.Counter} (ordered by
 * count, specials added), a plain word list (file order kept), or the dictionary stored inside a
 * {@code tokenizer.pt} (used as stored).
 */
final class DictionarySources {
    private DictionarySources() {}

    static Dictionary fromFile(NativeContext context, Tokenizer tokenizer, Path file) {
        if (!Files.isRegularFile(file)) throw new ModelFormatException(file, "dictionary file does not exist");
        String name = file.getFileName().toString();
        if (name.endsWith(".pt")) {
            try (Arena arena = Arena.ofConfined()) {
                TokenizerFile tf = TokenizerFile.read(file, arena);
                tf.checkIds(tokenizer.config().vocabSize());
                if (tf.dictionary().isEmpty()) throw new ModelFormatException(file, "this tokenizer.pt holds no dictionary");
                return fromTokenizerFile(context, tokenizer, tf);
            }
        }
        if (name.endsWith(".txt")) {
            LinkedHashMap<String, Long> list = DictionaryFiles.readWordList(file, w -> WordPatterns.requireSingleWord(w, tokenizer));
            // An empty dictionary would silently leave only the prompt's words to choose from.
            if (list.isEmpty()) throw new ModelFormatException(file, "the word list holds no words");
            return Dictionary.build(context, tokenizer, WordPatterns.orderDictionary(list), list);
        }
        LinkedHashMap<String, Long> counter = DictionaryFiles.readCounterPickle(file);
        if (counter.isEmpty()) throw new ModelFormatException(file, "the counter holds no words");
        requireSingleWords(file, "counter entry", counter.keySet(), tokenizer);
        return Dictionary.build(context, tokenizer, WordPatterns.orderDictionary(counter), counter);
    }

    static Dictionary fromTokenizerFile(NativeContext context, Tokenizer tokenizer, TokenizerFile file) {
        List<String> words = file.words();
        requireSingleWords(file.file(), "words", words, tokenizer);
        return Dictionary.build(context, tokenizer, words, file.wordCounterFull());
    }

    /** Every word must be one word to the model; the error names the file and the word's position. */
    private static void requireSingleWords(Path file, String what, Iterable<String> words, Tokenizer tokenizer) {
        int i = 0;
        for (String w : words) {
            try {
                WordPatterns.requireSingleWord(w, tokenizer);
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file, what + " " + i + ": " + e.getMessage());
            }
            i++;
        }
    }
}
