package dev.tfree4j.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.ModelFormatException;
import dev.tfree4j.io.StrictJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The tokenizer's {@code tokenizer_config.yaml} (JSON text despite the name, docs/spec/tfree.md §7.2).
 *
 * @param lowercase lowercase the whole text before splitting
 * @param vocabSize V, the number of vocab ids (embedding rows / logits)
 * @param sequenceLength the most words the model accepts
 * @param vocabPopulation P, vocab ids per trigram
 * @param vocabPopulationPartialLowercase K, trailing ids of a row shared with the lowercase trigram
 * @param initialize how the trigram table was made: {@code "hash"} or {@code "orthogonal"}
 * @param entireWords hash every word as a whole instead of cutting it into trigrams
 * @param endOfText the end-of-text word
 * @param seed random seed (used by the orthogonal table only)
 * @param wordEdgeWeight training-only loss weight of edge trigrams
 */
public record TokenizerConfig(
        boolean lowercase,
        int vocabSize,
        int sequenceLength,
        int vocabPopulation,
        int vocabPopulationPartialLowercase,
        String initialize,
        boolean entireWords,
        String endOfText,
        long seed,
        double wordEdgeWeight) {

    /**
     * The most vocab ids per trigram. Every embedded trigram and every dictionary word's pattern
     * costs memory and time in proportion to P (1024 made a 3.2 GB dictionary of the bundled
     * model's 13k words), and the hash table draws P distinct ids per row, which near P = V took
     * minutes. The released models use 10; 128 leaves room for experiments.
     */
    public static final int MAX_VOCAB_POPULATION = 128;

    public static final String INITIALIZE_HASH = "hash";
    public static final String INITIALIZE_ORTHOGONAL = "orthogonal";
    /** Duplicate keys and trailing garbage are errors, not "last one wins". */
    private static final ObjectMapper MAPPER = StrictJson.MAPPER;

    /** Checks ranges; the hash table cannot pick P distinct ids out of fewer than P. */
    public TokenizerConfig {
        require(vocabSize >= 1, "vocab_size", "must be >= 1, got " + vocabSize);
        require(sequenceLength >= 1, "sequence_length", "must be >= 1, got " + sequenceLength);
        require(sequenceLength <= dev.tfree4j.io.TransformerConfig.MAX_SEQUENCE_LENGTH, "sequence_length",
                "is " + sequenceLength + "; the limit is " + dev.tfree4j.io.TransformerConfig.MAX_SEQUENCE_LENGTH + " positions");
        require(vocabPopulation >= 1 && vocabPopulation <= vocabSize, "vocab_population",
                "must be in [1, vocab_size=" + vocabSize + "], got " + vocabPopulation);
        require(vocabPopulation <= MAX_VOCAB_POPULATION, "vocab_population",
                "is " + vocabPopulation + "; the limit is " + MAX_VOCAB_POPULATION);
        require(vocabPopulationPartialLowercase >= 0 && vocabPopulationPartialLowercase <= vocabPopulation,
                "vocab_population_partial_lowercase",
                "must be in [0, vocab_population=" + vocabPopulation + "], got " + vocabPopulationPartialLowercase);
        require(INITIALIZE_HASH.equals(initialize) || INITIALIZE_ORTHOGONAL.equals(initialize),
                "initialize", "must be \"hash\" or \"orthogonal\", got " + initialize);
        require(endOfText != null && !endOfText.isEmpty(), "end_of_text", "must be a non-empty string");
        require(Double.isFinite(wordEdgeWeight), "word_edge_weight", "must be a finite number");
    }

    /** Reads a config file; any problem is a {@link ModelFormatException} naming the file and key. */
    public static TokenizerConfig read(Path file) {
        return parse(file, StrictJson.readBounded(file, "config file", StrictJson.MAX_CONFIG_BYTES));
    }

    /** Parses the bytes of a config file; {@code file} only names it in messages. */
    public static TokenizerConfig parse(Path file, byte[] bytes) {
        JsonNode root;
        try {
            root = MAPPER.readTree(utf8(file, bytes));
        } catch (JacksonException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(file, root);
    }

    /** Parses a config already read as JSON (e.g. the "tokenizer" object of a converted model's config.json). */
    public static TokenizerConfig fromJson(Path file, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "expected a JSON object");
        }
        try {
            return new TokenizerConfig(
                    bool(file, root, "lowercase"),
                    integer(file, root, "vocab_size"),
                    integer(file, root, "sequence_length"),
                    integer(file, root, "vocab_population"),
                    integer(file, root, "vocab_population_partial_lowercase"),
                    string(file, root, "initialize"),
                    bool(file, root, "entire_words"),
                    string(file, root, "end_of_text"),
                    field(file, root, "seed", n -> n.isIntegralNumber() && n.canConvertToLong(), "a 64-bit integer").asLong(),
                    field(file, root, "word_edge_weight", JsonNode::isNumber, "a number").asDouble());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, e.getMessage(), e);
        }
    }

    /** Strict UTF-8 (a config is JSON text); a leading byte-order mark is dropped. */
    public static String utf8(Path file, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, "not valid UTF-8 text");
        }
    }

    private static boolean bool(Path file, JsonNode root, String key) {
        return field(file, root, key, JsonNode::isBoolean, "true or false").asBoolean();
    }

    private static int integer(Path file, JsonNode root, String key) {
        return field(file, root, key, n -> n.isIntegralNumber() && n.canConvertToInt(), "a 32-bit integer")
                .asInt();
    }

    private static String string(Path file, JsonNode root, String key) {
        return field(file, root, key, JsonNode::isTextual, "a string").asText();
    }

    private static JsonNode field(Path file, JsonNode root, String key,
                                  java.util.function.Predicate<JsonNode> ok, String expected) {
        JsonNode node = root.get(key);
        if (node == null) throw new ModelFormatException(file, "missing key \"" + key + "\"");
        if (!ok.test(node)) {
            throw new ModelFormatException(file, "key \"" + key + "\" must be " + expected + ", got " + node);
        }
        return node;
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) throw new IllegalArgumentException("key \"" + key + "\" " + problem);
    }
}
