package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.Chat;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.eval.Evaluator;
import dev.tfree4j.explain.ExplainRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint without a dictionary opens and gives logits (which need none); what decodes
 * words fails, saying that a dictionary is needed and how to give one.
 */
class NoDictionaryTest {
    private static final String PROMPT = "In the beginning";

    /** The bundled model's checkpoint (transformer + tokenizer) without its dictionary/ folder. */
    private static Path withoutDictionary(Path tmp) throws IOException {
        Path source = BundledModel.locate();
        Path dir = tmp.resolve("no-dictionary");
        for (String file : new String[] {"transformer/transformer.pt", "transformer/transformer_config.yaml",
                "tokenizer/tokenizer_config.yaml"}) {
            Files.createDirectories(dir.resolve(file).getParent());
            Files.copy(source.resolve(file), dir.resolve(file));
        }
        return dir;
    }

    @Test
    void opensAndGivesLogitsButDecodingWordsSaysADictionaryIsNeeded(@TempDir Path tmp) throws IOException {
        Path dir = withoutDictionary(tmp);
        try (TFreeModel bare = TFreeModel.open(dir); TFreeModel bundled = TFreeModel.openDefault()) {
            assertFalse(bare.hasDictionary());
            assertTrue(bare.dictionary().isEmpty());
            TFreeModel.Logits logits = bare.logits(PROMPT);
            assertArrayEquals(bundled.logits(PROMPT).values(), logits.values(), 0f);

            var generate = assertThrows(ModelFormatException.class, () -> bare.generate(PROMPT));
            assertNeedsDictionary(generate, "generate");
            try (Chat c = bare.chat(ChatTemplate.INSTRUCT, "sys")) {
                var chat = assertThrows(ModelFormatException.class, () -> c.say("hi", GenerateOptions.DEFAULT, null));
                assertNeedsDictionary(chat, "chat");
            }
            var eval = assertThrows(ModelFormatException.class, () -> Evaluator.evaluate(bare, PROMPT + " God created"));
            assertNeedsDictionary(eval, "eval");
            var explain = assertThrows(ModelFormatException.class,
                    () -> bare.explain(ExplainRequest.builder(PROMPT).target(" God").build()));
            assertNeedsDictionary(explain, "dictionary log-prob");
        }
        // Given one when opening, the same checkpoint generates as the bundled model.
        Path dictionary = BundledModel.locate().resolve("dictionary/top_words_counter.pckl");
        try (TFreeModel withDict = TFreeModel.open(dir, ModelOptions.DEFAULT.withDictionary(dictionary));
             TFreeModel bundled = TFreeModel.openDefault()) {
            assertEquals(bundled.generate(PROMPT).completion(), withDict.generate(PROMPT).completion());
        }
    }

    @Test
    void theLogitsCommandNeedsNoDictionary(@TempDir Path tmp) throws IOException {
        Path dir = withoutDictionary(tmp);
        Path out = tmp.resolve("logits.npy");
        CliTest.Run r = CliTest.cli("logits", "--model", dir.toString(), "--out", out.toString(), PROMPT);
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(out) > 0);
        CliTest.Run generate = CliTest.cli("generate", "--model", dir.toString(), PROMPT);
        assertTrue(generate.exit() != 0, "generate without a dictionary fails");
        assertTrue(generate.err().contains("no dictionary") && generate.err().contains("--dictionary"), generate.err());
    }

    private static void assertNeedsDictionary(Exception e, String what) {
        String m = e.getMessage();
        assertTrue(m.contains("no dictionary") && m.contains(what) && m.contains("--dictionary FILE")
                && m.contains("ModelOptions.withDictionary"), m);
    }
}
