package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad checkpoints and arguments end in clear exceptions naming the problem. */
class BadInputTest {
    /** A writable copy of the fixture checkpoint. */
    static Path copyCheckpoint(Path tmp) throws IOException {
        Path src = ReferenceFixture.dir().resolve("checkpoint");
        Path dst = tmp.resolve("checkpoint");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dst;
    }

    static ModelOptions withDictionary() {
        return ModelOptions.DEFAULT.withDictionary(ReferenceFixture.dir().resolve("dictionary/top_words_counter.pckl"));
    }

    @Test
    void missingTokenizerConfig(@TempDir Path tmp) throws IOException {
        Path ckpt = copyCheckpoint(tmp);
        Files.delete(ckpt.resolve("tokenizer/tokenizer_config.yaml"));
        var e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ckpt, withDictionary()));
        assertTrue(e.getMessage().contains("tokenizer_config.yaml"), e.getMessage());
    }

    @Test
    void truncatedCheckpoint(@TempDir Path tmp) throws IOException {
        Path ckpt = copyCheckpoint(tmp);
        Path pt = ckpt.resolve("transformer/transformer.pt");
        byte[] bytes = Files.readAllBytes(pt);
        Files.write(pt, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ckpt, withDictionary()));
        assertTrue(e.getMessage().contains("transformer.pt"), e.getMessage());
    }

    @Test
    void configWithWrongShapes(@TempDir Path tmp) throws IOException {
        Path ckpt = copyCheckpoint(tmp);
        Path cfg = ckpt.resolve("transformer/transformer_config.yaml");
        Files.writeString(cfg, Files.readString(cfg).replace("\"hidden_size\": 64", "\"hidden_size\": 128"));
        var e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ckpt, withDictionary()));
        assertTrue(e.getMessage().contains("shape") || e.getMessage().contains("hidden"), e.getMessage());
    }

    @Test
    void vocabSizesMustAgree(@TempDir Path tmp) throws IOException {
        Path ckpt = copyCheckpoint(tmp);
        Path cfg = ckpt.resolve("tokenizer/tokenizer_config.yaml");
        Files.writeString(cfg, Files.readString(cfg).replace("\"vocab_size\": 1024", "\"vocab_size\": 2048"));
        var e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ckpt, withDictionary()));
        assertTrue(e.getMessage().contains("vocab_size"), e.getMessage());
    }

    @Test
    void noDictionaryAnywhere() {
        var e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ReferenceFixture.dir().resolve("checkpoint")));
        assertTrue(e.getMessage().contains("no dictionary"), e.getMessage());
    }

    @Test
    void promptLongerThanTheContextAndEmptyPrompt() {
        try (TFreeModel model = ReferenceFixture.open()) {
            var tooLong = assertThrows(IllegalArgumentException.class, () -> model.generate("a ".repeat(129)));
            assertTrue(tooLong.getMessage().contains("sequence_length is 128"), tooLong.getMessage());
            var empty = assertThrows(IllegalArgumentException.class, () -> model.generate(""));
            assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
            // Generation that reaches the context limit stops cleanly instead of failing: 120 prompt
            // words leave 8 positions to feed, and the last word chosen needs no position: 9 words.
            var r = model.generate("a ".repeat(120).strip(), GenerateOptions.builder().maxWords(50).abortOnEndOfText(false).build());
            assertEquals(GenerationResult.StopReason.CONTEXT_FULL, r.stopReason(), r.tokens().toString());
            assertEquals(9, r.tokens().size());
        }
    }

    @Test
    void closedModelFailsCleanly() {
        TFreeModel model = ReferenceFixture.open();
        model.close();
        var e = assertThrows(IllegalStateException.class, () -> model.generate("hello"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        model.close();  // idempotent
    }
}
