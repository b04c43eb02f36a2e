package dev.tfree4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ModelFormatException;
import dev.tfree4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerConfigTest {
    private static final String VALID = """
            {"lowercase": false, "vocab_size": 1024, "sequence_length": 128, "vocab_population": 4,
             "vocab_population_partial_lowercase": 1, "do_classic_tokenization": false,
             "prefix_path_tokenizer_file": "", "seed": 42, "initialize": "hash", "entire_words": false,
             "end_of_text": "<|endoftext|>", "word_edge_weight": 1, "cache_dir": null}
            """;

    @TempDir
    Path tmp;

    @Test
    void readsTheFixtureConfig() {
        TokenizerConfig c = TokenizerConfig.read(Fixtures.refA().resolve("checkpoint/tokenizer/tokenizer_config.yaml"));
        assertEquals(new TokenizerConfig(false, 1024, 128, 4, 1, "hash", false, "<|endoftext|>", 42, 1.0), c);
    }

    @Test
    void unknownKeysAreIgnored() throws IOException {
        TokenizerConfig c = read(VALID.replace("\"seed\"", "\"some_new_key\": [1, 2], \"seed\""));
        assertEquals(42, c.seed());
    }

    @Test
    void problemsNameTheFileAndTheKey() throws IOException {
        assertProblem(tmp.resolve("absent.yaml"), "not found");
        assertProblem(write("{ not json"), "not valid JSON");
        assertProblem(write("[1, 2]"), "expected a JSON object");
        assertProblem(write(VALID.replace("\"vocab_size\": 1024,", "")), "missing key \"vocab_size\"");
        assertProblem(write(VALID.replace("\"lowercase\": false", "\"lowercase\": \"no\"")), "\"lowercase\"");
        assertProblem(write(VALID.replace("\"vocab_size\": 1024", "\"vocab_size\": 10.5")), "\"vocab_size\"");
        assertProblem(write(VALID.replace("\"vocab_size\": 1024", "\"vocab_size\": 1e12")), "\"vocab_size\"");
        assertProblem(write(VALID.replace("\"vocab_population\": 4", "\"vocab_population\": 2000")),
                "\"vocab_population\"");
        assertProblem(write(VALID.replace("\"vocab_population_partial_lowercase\": 1",
                "\"vocab_population_partial_lowercase\": 5")), "\"vocab_population_partial_lowercase\"");
        assertProblem(write(VALID.replace("\"hash\"", "\"random\"")), "\"initialize\"");
        assertProblem(write(VALID.replace("\"seed\": 42", "\"seed\": 4.2")), "\"seed\"");
        assertProblem(write(VALID.replace("\"end_of_text\": \"<|endoftext|>\"", "\"end_of_text\": null")),
                "\"end_of_text\"");
        assertProblem(write(VALID.replace("\"sequence_length\": 128", "\"sequence_length\": 0")),
                "\"sequence_length\"");
    }

    private TokenizerConfig read(String json) throws IOException {
        return TokenizerConfig.read(write(json));
    }

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(tmp, "tokenizer_config", ".yaml");
        Files.writeString(file, json);
        return file;
    }

    private static void assertProblem(Path file, String expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TokenizerConfig.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
