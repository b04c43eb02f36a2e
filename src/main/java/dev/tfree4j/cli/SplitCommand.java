package dev.tfree4j.cli;

import dev.tfree4j.Json;
import dev.tfree4j.hat.HatCheckpoint;
import dev.tfree4j.hat.HatConfig;
import dev.tfree4j.hat.HatModel;
import dev.tfree4j.hat.HatSpecialTokens;
import dev.tfree4j.hat.HatSplitter;
import dev.tfree4j.text.WordSplitter;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tfree4j split [--scheme tfree|hat] [--max-bytes N] [--json] TEXT | --input-jsonl FILE}:
 * the words a text is split into, by T-FREE's rule (docs/spec/tfree.md §1) or HAT's
 * (docs/spec/hat.md §1.1, the raw splitter rule without a model's special tokens).
 * {@code tfree4j split --model HATDIR TEXT}: a HAT model's own encoding (§1.2: special tokens as
 * one-byte words, the model's max_word_size), as JSON.
 */
@Command(name = "split", mixinStandardHelpOptions = true, description = "Split text into words (T-FREE or HAT rule).")
final class SplitCommand implements Callable<Integer> {
    /** The word rules this command knows. */
    enum Scheme { tfree, hat }

    @Spec CommandSpec spec;
    @Mixin CommonOptions common;

    @Option(names = "--scheme", paramLabel = "tfree|hat", description = "Word rule: tfree (default) or hat.")
    Scheme scheme = Scheme.tfree;

    @Option(names = "--max-bytes", paramLabel = "N",
            description = "HAT only: cut words longer than N UTF-8 bytes (default 100, the HAT reference's max_word_size).")
    Integer maxBytes;

    @Option(names = "--json", description = "Print one JSON line per input (T-FREE: the words; HAT: words_hex, and words when all are valid UTF-8).")
    boolean json;

    @Option(names = "--input-jsonl", paramLabel = "FILE", description = "Split every JSON string line of FILE; one JSON result per line.")
    Path inputJsonl;

    @Option(names = {"-m", "--model"}, paramLabel = "HATDIR",
            description = "Encode as this HAT model does: its special tokens and max_word_size (JSON: words_hex, words).")
    Path model;

    @Parameters(paramLabel = "TEXT", arity = "0..1")
    String text;

    private HatSpecialTokens modelTokens;

    /** The HAT reference's default max_word_size (docs/spec/hat.md §1.2). */
    static final int DEFAULT_HAT_MAX_BYTES = 100;

    @Override
    public Integer call() {
        if (maxBytes != null && scheme != Scheme.hat) throw new IllegalArgumentException("--max-bytes applies to --scheme hat only");
        if (maxBytes != null && maxBytes < 1) throw new IllegalArgumentException("--max-bytes must be >= 1, got " + maxBytes);
        if (model != null) {
            if (maxBytes != null || scheme != Scheme.tfree) {
                throw new IllegalArgumentException("--model encodes with the model's own rule; drop --scheme and --max-bytes");
            }
            if (!HatModel.isHatDirectory(model)) {
                throw new IllegalArgumentException("--model " + model + " is not a HAT model directory (config.json with"
                        + " \"model_type\": \"" + HatConfig.MODEL_TYPE + "\")");
            }
            modelTokens = HatConfig.read(model.resolve(HatCheckpoint.CONFIG_FILE)).splitterTokens();
            json = true;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (inputJsonl != null) {
            for (String line : Json.readStringLines(inputJsonl)) out.println(Json.write(result(line)));
        } else {
            if (text == null) throw new IllegalArgumentException("give TEXT or --input-jsonl FILE");
            if (json) {
                out.println(Json.write(result(text)));
            } else if (scheme == Scheme.tfree) {
                for (String w : WordSplitter.split(text)) out.println(Json.write(w));
            } else {
                // One word per line: a JSON string, or 0x + hex for a word cut inside a character.
                for (byte[] w : hatWords(text)) {
                    String s = utf8(w);
                    out.println(s != null ? Json.write(s) : "0x" + HexFormat.of().formatHex(w));
                }
            }
        }
        out.flush();
        return 0;
    }

    /** The JSON result of one input: T-FREE's word list, or HAT's {"words_hex", "words"?}. */
    private Object result(String input) {
        if (modelTokens != null) {
            List<String> hex = new ArrayList<>(), words = new ArrayList<>();
            for (byte[] w : modelTokens.encode(input)) {
                hex.add(HexFormat.of().formatHex(w));
                words.add(modelTokens.decode(w));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("words_hex", hex);
            r.put("words", words);
            return r;
        }
        if (scheme == Scheme.tfree) return WordSplitter.split(input);
        List<String> hex = new ArrayList<>(), words = new ArrayList<>();
        boolean allValid = true;
        for (byte[] w : hatWords(input)) {
            hex.add(HexFormat.of().formatHex(w));
            String s = utf8(w);
            allValid &= s != null;
            words.add(s);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("words_hex", hex);
        if (allValid) r.put("words", words);
        return r;
    }

    private List<byte[]> hatWords(String input) {
        return HatSplitter.splitWithLimit(input, maxBytes != null ? maxBytes : DEFAULT_HAT_MAX_BYTES);
    }

    /** The word as text, or null when its bytes are not valid UTF-8 (cut inside a character). */
    private static String utf8(byte[] word) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(word)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
