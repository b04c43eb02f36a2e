package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/** Fuzz targets: the two external dictionary formats (pickled Counter, word list). */
class DictionaryFilesFuzzTest {
    private static final Path PICKLE = Path.of("fuzz-input.pckl");
    private static final Path LIST = Path.of("fuzz-input.txt");

    @FuzzTest
    @Timeout(10)
    void counterPickle(byte[] input) {
        FuzzContract.onlyFormatErrors(PICKLE, () -> DictionaryFiles.parseCounterPickle(PICKLE, MemorySegment.ofArray(input)));
    }

    @FuzzTest
    @Timeout(10)
    void wordList(byte[] input) {
        // The checker stands in for the model's "one word" rule: it refuses words with a space.
        FuzzContract.onlyFormatErrors(LIST, () -> DictionaryFiles.parseWordList(LIST, input, word -> {
            if (word.indexOf(' ') > 0) throw new IllegalArgumentException("word has a space");
        }));
    }
}
