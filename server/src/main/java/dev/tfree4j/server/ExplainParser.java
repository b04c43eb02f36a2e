package dev.tfree4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ControlMode;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.PostProcessing;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.explain.TargetGranularity;
import dev.tfree4j.explain.TargetScore;
import java.util.List;

/**
 * Turns a {@code POST /v1/explain} body into the runtime's {@link ExplainRequest}. The fields
 * are the hosted explain API's (docs/spec/atman-dtm.md §A.7) with its defaults, plus the
 * runtime's own knobs that the CLI's {@code explain} has ({@code score}, {@code layers},
 * {@code conceptual_scaled}); every field is checked here, in Java, like the completion fields.
 */
final class ExplainParser {
    private final RequestParser fields;

    ExplainParser(RequestParser fields) {
        this.fields = fields;
    }

    /**
     * A parsed explain request. Without a {@code target} the server first generates one:
     * {@code max_tokens} words (default 8, as {@code tfree4j explain} without {@code --target})
     * with the request's sampling fields, exactly as {@code /v1/completions} would generate them,
     * and explains those words.
     *
     * @param prompt the prompt
     * @param request everything but the target when {@code generate} is set
     * @param generate how to generate the target, or null when the request gave it
     */
    record Parsed(String prompt, ExplainRequest.Builder request, GenerateOptions generate) {}

    /** The CLI's default of {@code explain} without {@code --target}. */
    static final int DEFAULT_GENERATED_WORDS = 8;

    Parsed explain(ObjectNode body) {
        fields.requireModel(body);
        String prompt = prompt(body);
        fields.countWords("prompt", prompt);
        String target = RequestParser.string(body, "target");
        GenerateOptions generate = null;
        if (target == null) {
            int words = RequestParser.integer(body, "max_tokens", 1, fields.maxWords(), Math.min(DEFAULT_GENERATED_WORDS, fields.maxWords()));
            double topP = RequestParser.number(body, "top_p", 0, 1, 1);
            if (topP == 0) throw ApiException.invalid("top_p", "top_p must be > 0");
            generate = GenerateOptions.builder().maxWords(words)
                    .temperature((float) RequestParser.number(body, "temperature", 0, 2, 0)).topP((float) topP)
                    .topK(RequestParser.integer(body, "top_k", 0, Integer.MAX_VALUE, 0))
                    .seed(RequestParser.longInteger(body, "seed", 0)).build();
        } else {
            if (target.isEmpty()) throw ApiException.invalid("target", "target must not be empty (leave it out to explain a generated continuation)");
            for (String generation : List.of("max_tokens", "temperature", "top_p", "top_k", "seed")) {
                if (RequestParser.field(body, generation) != null) {
                    throw ApiException.invalid(generation, generation + " sets how the target is generated; it cannot come with a target");
                }
            }
            RequestParser.wellFormed("target", target);
        }
        ExplainRequest.Builder request = ExplainRequest.builder(prompt)
                .factor((float) RequestParser.number(body, "control_factor", 0, ExplainRequest.MAX_FACTOR, ExplainRequest.DEFAULT_FACTOR))
                .mode(RequestParser.bool(body, "control_log_additive", true) ? ControlMode.LOG_ADD : ControlMode.MULT)
                .promptGranularity(promptGranularity(body))
                .targetGranularity(targetGranularity(body))
                .postprocessing(postprocessing(body))
                .normalize(RequestParser.bool(body, "normalize", false))
                .score(score(body))
                .conceptualScaled(RequestParser.bool(body, "conceptual_scaled", true))
                .layers(layers(body));
        if (RequestParser.field(body, "contextual_control_threshold") != null) {
            request.conceptualThreshold(RequestParser.number(body, "contextual_control_threshold", 0, Double.MAX_VALUE, 0));
        }
        // T-FREE units are whole words, so a control always covers whole positions: the hosted API's
        // "partial" and "complete" overlap rules select the same positions here. Other values are errors.
        String overlap = RequestParser.string(body, "control_token_overlap");
        if (overlap != null && !overlap.equals("partial") && !overlap.equals("complete")) {
            throw ApiException.invalid("control_token_overlap", "control_token_overlap must be \"partial\" or \"complete\"");
        }
        if (target != null) request.target(target);
        return new Parsed(prompt, request, generate);
    }

    /** A string, or the hosted API's list of prompt items holding exactly one text item. */
    private static String prompt(ObjectNode body) {
        JsonNode v = RequestParser.field(body, "prompt");
        if (v == null) throw ApiException.invalid("prompt", "prompt is required");
        if (v.isArray() && v.size() == 1 && v.get(0).isObject()) {
            JsonNode item = v.get(0);
            if (!"text".equals(item.path("type").asText(null))) {
                throw ApiException.unsupported("prompt", "only text prompt items are supported (no images or token ids)");
            }
            if (item.get("controls") != null && !(item.get("controls").isArray() && item.get("controls").isEmpty())) {
                throw ApiException.unsupported("prompt", "controls on prompt items are not supported by /v1/explain");
            }
            v = item.get("data");
        }
        if (v == null || !v.isTextual()) {
            throw ApiException.invalid("prompt", "prompt must be a string or a list of one {\"type\": \"text\", \"data\": \"...\"} item");
        }
        return RequestParser.wellFormed("prompt", v.textValue());
    }

    /** "auto" (about 30 units), "word"/"token", "sentence", "paragraph", or {"type": ..., "delimiter": ...}. */
    private static PromptGranularity promptGranularity(ObjectNode body) {
        JsonNode v = RequestParser.field(body, "prompt_granularity");
        if (v == null) return PromptGranularity.AUTO;
        String type;
        String delimiter = null;
        if (v.isTextual()) {
            type = v.textValue();
        } else if (v.isObject()) {
            type = RequestParser.string((ObjectNode) v, "type");
            delimiter = RequestParser.string((ObjectNode) v, "delimiter");
        } else {
            throw ApiException.invalid("prompt_granularity", "prompt_granularity must be a string or an object {\"type\", \"delimiter\"}");
        }
        if (delimiter != null && !"custom".equals(type)) {
            throw ApiException.invalid("prompt_granularity", "a delimiter needs prompt_granularity type \"custom\"");
        }
        return switch (type == null ? "" : type) {
            case "auto" -> PromptGranularity.AUTO;
            case "word", "token" -> PromptGranularity.WORD;
            case "sentence" -> PromptGranularity.SENTENCE;
            case "paragraph" -> PromptGranularity.PARAGRAPH;
            case "custom" -> {
                if (delimiter == null || delimiter.isEmpty()) {
                    throw ApiException.invalid("prompt_granularity", "prompt_granularity \"custom\" needs a non-empty delimiter");
                }
                yield PromptGranularity.custom(RequestParser.wellFormed("prompt_granularity", delimiter));
            }
            default -> throw ApiException.invalid("prompt_granularity",
                    "prompt_granularity type must be auto, word, token, sentence, paragraph or custom");
        };
    }

    private static TargetGranularity targetGranularity(ObjectNode body) {
        String v = RequestParser.string(body, "target_granularity");
        return switch (v == null ? "complete" : v) {
            case "complete" -> TargetGranularity.COMPLETE;
            case "token", "word" -> TargetGranularity.WORD;
            default -> throw ApiException.invalid("target_granularity", "target_granularity must be complete or token");
        };
    }

    private static PostProcessing postprocessing(ObjectNode body) {
        String v = RequestParser.string(body, "postprocessing");
        return switch (v == null ? "none" : v) {
            case "none" -> PostProcessing.NONE;
            case "absolute" -> PostProcessing.ABSOLUTE;
            case "square" -> PostProcessing.SQUARE;
            default -> throw ApiException.invalid("postprocessing", "postprocessing must be none, absolute or square");
        };
    }

    private static TargetScore score(ObjectNode body) {
        String v = RequestParser.string(body, "score");
        return switch (v == null ? "dict_logprob" : v) {
            case "dict_logprob" -> TargetScore.DICT_LOGPROB;
            case "word_score" -> TargetScore.WORD_SCORE;
            case "bce" -> TargetScore.BCE;
            default -> throw ApiException.invalid("score", "score must be dict_logprob, word_score or bce");
        };
    }

    /** The layers whose attention is controlled (absent: all), each an index the model has. */
    private int[] layers(ObjectNode body) {
        JsonNode v = RequestParser.field(body, "layers");
        if (v == null) return null;
        int count = fields.layerCount();
        if (!v.isArray() || v.isEmpty()) throw ApiException.invalid("layers", "layers must be a non-empty list of layer indices");
        int[] layers = new int[v.size()];
        for (int i = 0; i < layers.length; i++) {
            JsonNode l = v.get(i);
            if (!l.isIntegralNumber() || !l.canConvertToInt() || l.intValue() < 0 || l.intValue() >= count) {
                throw ApiException.invalid("layers", "layers[" + i + "] must be an integer in [0, " + (count - 1) + "]");
            }
            layers[i] = l.intValue();
        }
        return layers;
    }
}
