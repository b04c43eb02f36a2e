package dev.tfree4j.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target: the restricted unpickler with every optional global admitted (dicts, Counter,
 * sets) and a persistent-id loader, so that the fuzzer can reach all of its opcodes. Forbidden
 * globals must end in UnsafePickleException, everything else malformed in ModelFormatException.
 */
class PickleFuzzTest {
    private static final Path FILE = Path.of("fuzz-input.pkl");

    @FuzzTest
    @Timeout(10)
    void pickle(byte[] input) {
        FuzzContract.onlyFormatErrors(FILE, () -> {
            Pickle.Options options = new Pickle.Options().allowDicts().allowSets()
                    .allowValue("torch", "FloatStorage")
                    .persistentLoader(pid -> Pickle.describe(pid));
            Object root = Pickle.load(FILE, input, options);
            Pickle.describe(root);
        });
    }
}
