package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: tokenizer/tokenizer.pt (trigram table and dictionary). The input is the file's
 * data.pkl, wrapped in a valid ZIP with storages (see {@link TorchArchiveFuzzTest}); the ZIP
 * layer has its own targets.
 */
class TokenizerFileFuzzTest {
    private static final Path FILE = Path.of("fuzz-input-tokenizer.pt");

    @FuzzTest
    @Timeout(10)
    void tokenizerPickle(byte[] pickle) {
        byte[] file = TorchArchiveFuzzTest.wrap(pickle);
        FuzzContract.onlyFormatErrors(FILE, () -> {
            TokenizerFile tf = TokenizerFile.read(FILE, MemorySegment.ofArray(file));
            tf.words();
            tf.wordCounterFull();
            tf.checkIds(1024);
        });
    }
}
