package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        // The fixture lookup stays outside assertThrows: a missing fixture is a skip, not a failure.
        Path checkpoint = ReferenceFixture.dir().resolve("checkpoint");
        // A model without a dictionary opens (logits need none); decoding words says what is missing.
        try (TFreeModel model = TFreeModel.open(checkpoint)) {
            assertFalse(model.hasDictionary());
            var e = assertThrows(ModelFormatException.class, () -> model.generate("hello"));
            assertTrue(e.getMessage().contains("no dictionary"), e.getMessage());
        }
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

    /** Writes raw bytes over one element of a tensor inside a copied checkpoint's .pt file. */
    static void poke(Path pt, String tensor, long element, byte[] value) throws IOException {
        long offset;
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            dev.tfree4j.io.TorchArchive archive = dev.tfree4j.io.TorchArchive.open(pt, arena);
            dev.tfree4j.io.Tensor t = archive.tensors().get(tensor);
            offset = t.data().address() - archive.zip().bytes().address() + element * t.dtype().byteSize();
            assertEquals(value.length, t.dtype().byteSize(), "value bytes for " + t);
        }
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(pt.toFile(), "rw")) {
            f.seek(offset);
            f.write(value);
        }
    }

    /** The NaN / +Inf bit pattern of a dtype, little-endian. */
    static byte[] nonFinite(Path pt, String tensor, boolean nan) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            dev.tfree4j.io.DType d = dev.tfree4j.io.TorchArchive.open(pt, arena).tensors().get(tensor).dtype();
            return switch (d) {
                case F32 -> nan ? new byte[] {0, 0, (byte) 0xC0, 0x7F} : new byte[] {0, 0, (byte) 0x80, 0x7F};
                case BF16 -> nan ? new byte[] {(byte) 0xC0, 0x7F} : new byte[] {(byte) 0x80, 0x7F};
                case F16 -> nan ? new byte[] {0, 0x7E} : new byte[] {0, 0x7C};
                default -> throw new AssertionError(d);
            };
        }
    }

    @Test
    void nanAndInfiniteWeightsAreFoundOnRequest(@TempDir Path tmp) throws IOException {
        Path ckpt = copyCheckpoint(tmp);
        Path pt = ckpt.resolve("transformer/transformer.pt");
        String q = "transformer.layers.0.attention.query.weight";
        poke(pt, q, 70, nonFinite(pt, q, true));
        // Off by default (the scan reads the whole checkpoint): the model opens.
        TFreeModel.open(ckpt, withDictionary()).close();
        var e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ckpt, withDictionary().withWeightCheck(true)));
        String m = e.getMessage();
        assertTrue(m.startsWith(pt.toString()) && m.contains(q) && m.contains("NaN") && m.contains("element 70")
                && m.contains("index [1, 6]"), m);  // hidden_size 64: element 70 is row 1, column 6

        Path ckpt2 = copyCheckpoint(tmp.resolve("inf"));
        Path pt2 = ckpt2.resolve("transformer/transformer.pt");
        poke(pt2, "lm_head.weight", 3, nonFinite(pt2, "lm_head.weight", false));
        e = assertThrows(ModelFormatException.class, () -> TFreeModel.open(ckpt2, withDictionary().withWeightCheck(true)));
        assertTrue(e.getMessage().contains("lm_head.weight") && e.getMessage().contains("Infinity")
                && e.getMessage().contains("element 3"), e.getMessage());
        // A clean checkpoint passes the check.
        TFreeModel.open(ReferenceFixture.dir().resolve("checkpoint"), withDictionary().withWeightCheck(true)).close();
    }

    @Test
    void checkpointChangedOnDiskWhileOpenIsRefusedBeforeItsMappingIsRead(@TempDir Path tmp) throws IOException {
        Path ckpt = copyCheckpoint(tmp);
        Path pt = ckpt.resolve("transformer/transformer.pt");
        try (TFreeModel model = TFreeModel.open(ckpt, withDictionary())) {
            GenerationResult before = model.generate("hello world");
            // Rewritten in place (same bytes, new modification time): refused.
            Files.setLastModifiedTime(pt, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(pt).toMillis() + 10_000));
            var e = assertThrows(ModelFormatException.class, () -> model.generate("hello world"));
            assertTrue(e.getMessage().startsWith(pt.toString()) && e.getMessage().contains("changed on disk"), e.getMessage());
            assertThrows(ModelFormatException.class, () -> model.logits("hello world"));
            // Truncated: refused before any page of the mapping is touched (reading it would be a SIGBUS).
            byte[] bytes = Files.readAllBytes(pt);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(pt, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(bytes.length / 2);
            }
            e = assertThrows(ModelFormatException.class, () -> model.generate("hello world"));
            assertTrue(e.getMessage().contains("changed on disk") && e.getMessage().contains(bytes.length + " -> " + bytes.length / 2),
                    e.getMessage());
            Files.delete(pt);
            e = assertThrows(ModelFormatException.class, () -> model.generate("hello world"));
            assertTrue(e.getMessage().contains("removed"), e.getMessage());
            // Restored and reopened, the checkpoint gives the same words as before.
            Files.write(pt, bytes);
            try (TFreeModel reopened = TFreeModel.open(ckpt, withDictionary())) {
                assertEquals(before.tokens(), reopened.generate("hello world").tokens());
            }
        }
    }

    @Test
    void dictionaryWordsThatSplitIntoSeveralWordsAreNamedWithTheirLine(@TempDir Path tmp) throws IOException {
        Path list = tmp.resolve("words.txt");
        Files.writeString(list, "the\nLORD\nhello world\nGod\n");
        Path checkpoint = ReferenceFixture.dir().resolve("checkpoint");  // outside assertThrows: missing = skip
        var e = assertThrows(ModelFormatException.class,
                () -> TFreeModel.open(checkpoint, ModelOptions.DEFAULT.withDictionary(list)));
        String m = e.getMessage();
        assertTrue(m.startsWith(list.toString()) && m.contains("line 3") && m.contains("\"hello world\"")
                && m.contains("splits into 2 words [\"hello\", \"world\"]"), m);

        // A pickled Counter (protocol 2, written byte by byte): {"and": 5, "of.": 3}
        Path counter = tmp.resolve("counter.pckl");
        Files.write(counter, new byte[] {(byte) 0x80, 2, '}', 'X', 3, 0, 0, 0, 'a', 'n', 'd', 'K', 5, 's',
                'X', 3, 0, 0, 0, 'o', 'f', '.', 'K', 3, 's', '.'});
        e = assertThrows(ModelFormatException.class,
                () -> TFreeModel.open(checkpoint, ModelOptions.DEFAULT.withDictionary(counter)));
        assertTrue(e.getMessage().startsWith(counter.toString()) && e.getMessage().contains("counter entry 1")
                && e.getMessage().contains("\"of.\""), e.getMessage());
    }
}
