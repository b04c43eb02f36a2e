package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every entry point that reads the mapped weights refuses a weights file truncated while the
 * model sat idle, with "changed on disk", before a page of the mapping is touched: reading it
 * would end the JVM with SIGBUS (issue 20: explain did, and crashed the JVM).
 */
class ChangedOnDiskTest {
    private static final List<Consumer<TFreeModel>> ENTRY_POINTS = List.of(
            m -> m.generate("hello world"),
            m -> m.logits("hello world"),
            m -> m.explain(ExplainRequest.builder("hello world").targetWords(List.of("the")).build()),
            m -> m.newSession(8).close(),
            m -> m.chat(ChatTemplate.INSTRUCT, null).say("hello", GenerateOptions.DEFAULT, null));

    @Test
    void everyEntryPointRefusesATruncatedWeightsFile(@TempDir Path tmp) throws IOException {
        Path ckpt = BadInputTest.copyCheckpoint(tmp);
        Path pt = ckpt.resolve("transformer/transformer.pt");
        try (TFreeModel model = TFreeModel.open(ckpt, BadInputTest.withDictionary())) {
            model.generate("hello world");  // the model works before the file changes
            try (FileChannel ch = FileChannel.open(pt, StandardOpenOption.WRITE)) {
                ch.truncate(Files.size(pt) / 2);
            }
            for (int i = 0; i < ENTRY_POINTS.size(); i++) {
                Consumer<TFreeModel> entry = ENTRY_POINTS.get(i);
                var e = assertThrows(ModelFormatException.class, () -> entry.accept(model), "entry point " + i);
                assertTrue(e.getMessage().contains("changed on disk"), "entry point " + i + ": " + e.getMessage());
            }
        }
    }
}
