package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: config sizes and inputs that once exhausted the machine are refused before anything
 * is sized by them, each with a {@link ModelFormatException} (or, for a prompt,
 * {@link IllegalArgumentException}) naming the file, the key, the value asked and the limit.
 * Every case runs under a time limit and asserts that the refusal allocated little on the heap
 * (this thread's allocation counter), so a check that came after the allocation would fail here
 * even where the machine could afford it. Each case is the reproduction on a copy of the
 * bundled model.
 */
class ResourceLimitsTest {
    /** What a refusal may allocate: reading two configs and the checkpoint's tensor list. */
    private static final long REFUSAL_BYTES = 64L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static Path source;

    @BeforeAll
    static void locate() {
        source = BundledModel.locate();
    }

    /** A copy of the bundled model (weights linked, configs copied) with {@code edit} applied to both configs' JSON. */
    private static Path copyWith(String name, Consumer<ObjectNode> transformer, Consumer<ObjectNode> tokenizer) throws IOException {
        Path dir = temp.resolve(name);
        Files.createDirectories(dir.resolve("transformer"));
        Files.createDirectories(dir.resolve("tokenizer"));
        Files.createSymbolicLink(dir.resolve("transformer/transformer.pt"), source.resolve("transformer/transformer.pt").toAbsolutePath());
        Files.createSymbolicLink(dir.resolve("dictionary"), source.resolve("dictionary").toAbsolutePath());
        edit(source.resolve("transformer/transformer_config.yaml"), dir.resolve("transformer/transformer_config.yaml"), transformer);
        edit(source.resolve("tokenizer/tokenizer_config.yaml"), dir.resolve("tokenizer/tokenizer_config.yaml"), tokenizer);
        return dir;
    }

    private static void edit(Path from, Path to, Consumer<ObjectNode> change) throws IOException {
        ObjectNode node = (ObjectNode) JSON.readTree(from.toFile());
        change.accept(node);
        Files.writeString(to, JSON.writeValueAsString(node));
    }

    private static Consumer<ObjectNode> set(String key, long value) {
        return n -> n.put(key, value);
    }

    private static final Consumer<ObjectNode> UNCHANGED = n -> {};

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Opens {@code dir}, expects a refusal whose message contains every fragment, within the heap budget. */
    private static String refused(Path dir, String... fragments) {
        long before = allocatedBytes();
        var e = assertThrows(ModelFormatException.class, () -> {
            try (TFreeModel m = TFreeModel.open(dir, ModelOptions.DEFAULT.withThreads(1))) {
                m.config();
            }
        });
        long allocated = allocatedBytes() - before;
        for (String f : fragments) assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        assertTrue(allocated < REFUSAL_BYTES, "the refusal allocated " + allocated + " bytes: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    @Timeout(20)
    void aBillionLayersIsRefusedAgainstTheWeightsFile() throws IOException {
        Path dir = copyWith("layers", set("num_layers", 1_000_000_000), UNCHANGED);
        refused(dir, "transformer_config.yaml", "num_layers 1000000000", "transformer.pt has 14699092 bytes");
    }

    @Test
    @Timeout(20)
    void moreLayersThanTheCheckpointHoldsIsRefusedBeforeTheShapeTable() throws IOException {
        // 1000 layers of width 1 fit the file's bytes, but not its 39 tensors: refused by count
        // before a 9003-entry shape table is built.
        Path dir = copyWith("layers1000", set("num_layers", 1000), n -> { });
        edit(dir.resolve("transformer/transformer_config.yaml"), dir.resolve("transformer/transformer_config.yaml"),
                n -> n.put("hidden_size", 8).put("num_attention_heads", 2));
        refused(dir, "transformer.pt", "num_layers 1000 needs 9003 weight tensors", "holds 39");
        // 6 layers fit the bytes and come near the count: the missing tensors are listed by name.
        dir = copyWith("layers6", set("num_layers", 6), UNCHANGED);
        refused(dir, "transformer.pt", "18 missing [transformer.layers.4.");
    }

    @Test
    @Timeout(20)
    void hugeSequenceLengthsAreRefusedNamingFileKeyValueAndLimit() throws IOException {
        for (int seq : new int[] {Integer.MAX_VALUE, 30_000_000, 4_000_000}) {
            Path dir = copyWith("seq" + seq, set("sequence_length", seq), set("sequence_length", seq));
            refused(dir, "transformer_config.yaml", "'sequence_length' is " + seq, "the limit is 1048576");
        }
    }

    @Test
    @Timeout(20)
    void hugeVocabPopulationsAreRefused() throws IOException {
        for (int population : new int[] {1024, 8192}) {
            Path dir = copyWith("pop" + population, UNCHANGED, set("vocab_population", population));
            refused(dir, "tokenizer_config.yaml", "vocab_population", "is " + population, "the limit is 128");
        }
    }

    @Test
    @Timeout(20)
    void aConfigOverTheSizeLimitIsRefusedBeforeReading() throws IOException {
        Path dir = copyWith("big", UNCHANGED, UNCHANGED);
        Path config = dir.resolve("transformer/transformer_config.yaml");
        try (RandomAccessFile f = new RandomAccessFile(config.toFile(), "rw")) {
            f.setLength((2L << 30) + 1);  // sparse: 2 GB + 1 of nothing, created instantly
        }
        refused(dir, "transformer_config.yaml", "2147483649 bytes", "at most 1048576 are read");
    }

    @Test
    @Timeout(20)
    void anEpsilonBeyondFloat32NamesTheFileAndKey() throws IOException {
        Path dir = copyWith("eps", n -> n.put("layernorm_epsilon", 1e308), UNCHANGED);
        refused(dir, "transformer_config.yaml", "'layernorm_epsilon' is 1.0E308", "positive float32");
    }

    @Test
    @Timeout(20)
    void aTenMegabytePromptIsRefusedBeforeEncoding() {
        try (TFreeModel model = TFreeModel.open(source, ModelOptions.DEFAULT.withThreads(1))) {
            int context = model.config().sequenceLength();
            // Words: refused by the character cap. One 10 MB word: the same. Just over the cap in
            // characters but few words: refused by characters too.
            for (String prompt : new String[] {"and ".repeat(2_500_000), "a".repeat(10_000_000),
                    "x".repeat(context * 1024 + 1)}) {
                long before = allocatedBytes();
                long start = System.nanoTime();
                var e = assertThrows(IllegalArgumentException.class, () -> model.generate(prompt));
                long allocated = allocatedBytes() - before;
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(e.getMessage().contains("characters; the limit is " + context * 1024L), e.getMessage());
                assertTrue(allocated < (1 << 20), "allocated " + allocated + " bytes");
                assertTrue(millis < 1000, millis + " ms");
                assertThrows(IllegalArgumentException.class, () -> model.logits(prompt));
                var explained = assertThrows(IllegalArgumentException.class,
                        () -> model.explain(dev.tfree4j.explain.ExplainRequest.builder(prompt).target("and").build()));
                assertTrue(explained.getMessage().contains("characters; the limit is"), explained.getMessage());
            }
            // Under the character cap but with many words: refused by the incremental word count,
            // which stops at context + 1 words.
            String words = ". ".repeat(context * 400);
            long before = allocatedBytes();
            var e = assertThrows(IllegalArgumentException.class, () -> model.generate(words));
            assertTrue(allocatedBytes() - before < (1 << 20), "allocated " + (allocatedBytes() - before));
            assertTrue(e.getMessage().contains("more than " + context + " words"), e.getMessage());
            // A prompt that fits is still accepted.
            assertEquals(1, model.generate("and ".repeat(context - 1) + "and", GenerateOptions.builder().maxWords(1).build())
                    .tokens().size());
        }
    }

    @Test
    void theWordCountIsALowerBoundOfTheSplit() {
        {
            java.util.Random random = new java.util.Random(20);
            String alphabet = "ab Z9 .,\n\t<|>_-é€\uD83D\uDE00  \n\n";
            for (int i = 0; i < 2000; i++) {
                StringBuilder sb = new StringBuilder();
                int n = random.nextInt(60);
                for (int k = 0; k < n; k++) {
                    if (random.nextInt(20) == 0) sb.append("<|ws|>");
                    int at = random.nextInt(alphabet.length());
                    if (Character.isHighSurrogate(alphabet.charAt(at))) sb.append(alphabet, at, at + 2);
                    else if (!Character.isLowSurrogate(alphabet.charAt(at))) sb.append(alphabet.charAt(at));
                }
                String text = sb.toString();
                int words = dev.tfree4j.text.WordSplitter.split(text).size();
                int bound = dev.tfree4j.text.WordSplitter.countWordsAtLeast(text, 1000);
                assertTrue(bound <= words, "bound " + bound + " > " + words + " words for " + JSON.valueToTree(text));
                // and stops past the limit
                assertTrue(dev.tfree4j.text.WordSplitter.countWordsAtLeast(text, 2) <= 3);
            }
            assertEquals(2, dev.tfree4j.text.WordSplitter.countWordsAtLeast("a b", 10));
            assertEquals(11, dev.tfree4j.text.WordSplitter.countWordsAtLeast("a ".repeat(1000), 10));
        }
    }
}
