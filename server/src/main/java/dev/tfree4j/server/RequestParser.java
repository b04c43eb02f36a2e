package dev.tfree4j.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns request bodies into {@link GenerationRequest}s, checking every field's type and range
 * here, in Java, so the runtime only ever sees valid input. Unknown fields are ignored (clients
 * send newer OpenAI fields); known fields of a feature this server lacks are refused with 400.
 */
final class RequestParser {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** OpenAI's limits: at most 4 stop texts, 5 log-probs for completions, 20 for chat. */
    private static final int MAX_STOPS = 4;
    private static final int MAX_COMPLETION_LOGPROBS = 5;
    private static final int MAX_CHAT_LOGPROBS = 20;
    /** OpenAI's default max_tokens of /v1/completions. */
    private static final int DEFAULT_COMPLETION_WORDS = 16;

    private final TFreeModel model;
    private final String modelId;
    private final int maxWords;
    private final ChatTemplate template;

    RequestParser(TFreeModel model, String modelId, int maxWords, ChatTemplate template) {
        this.model = model;
        this.modelId = modelId;
        this.maxWords = maxWords;
        this.template = template;
    }

    /** The most words one request may generate. */
    int maxWords() {
        return maxWords;
    }

    /** The model's layer count (valid explain layer indices are 0 to this − 1). */
    int layerCount() {
        return model.config().numLayers();
    }

    /** The body as a JSON object (400 when it is not one). */
    static ObjectNode parseObject(byte[] body) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid(null, "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!(tree instanceof ObjectNode object)) throw ApiException.invalid(null, "the body must be a JSON object");
        return object;
    }

    /** {@code POST /v1/completions}. */
    GenerationRequest completion(ObjectNode body) {
        requireModel(body);
        rejectUnsupported(body);
        String suffix = string(body, "suffix");
        if (suffix != null && !suffix.isEmpty()) throw ApiException.unsupported("suffix", "suffix (insertion) is not supported");
        requireOne(body, "best_of");
        String prompt = prompt(body);
        boolean stream = bool(body, "stream", false);
        Integer logprobs = integer(body, "logprobs", 0, MAX_COMPLETION_LOGPROBS, null);
        if (stream && logprobs != null) throw ApiException.unsupported("logprobs", "logprobs with stream is not supported");
        boolean echo = bool(body, "echo", false);
        int words = integer(body, "max_tokens", 0, maxWords, Math.min(DEFAULT_COMPLETION_WORDS, maxWords));
        return request(body, prompt, words, echo, logprobs, stream);
    }

    /** {@code POST /v1/chat/completions}: the messages written in the chat template. */
    GenerationRequest chat(ObjectNode body) {
        requireModel(body);
        rejectUnsupported(body);
        String prompt = conversation(body);
        boolean stream = bool(body, "stream", false);
        Integer logprobs = null;
        if (bool(body, "logprobs", false)) logprobs = integer(body, "top_logprobs", 0, MAX_CHAT_LOGPROBS, 0);
        else if (field(body, "top_logprobs") != null) throw ApiException.invalid("top_logprobs", "top_logprobs needs logprobs: true");
        if (stream && logprobs != null) throw ApiException.unsupported("logprobs", "logprobs with stream is not supported");
        Integer words = integer(body, "max_completion_tokens", 0, maxWords, null);
        if (words == null) words = integer(body, "max_tokens", 0, maxWords, maxWords);
        return request(body, prompt, words, false, logprobs, stream);
    }

    private GenerationRequest request(ObjectNode body, String prompt, int words, boolean echo, Integer logprobs,
                                      boolean stream) {
        double temperature = number(body, "temperature", 0, 2, 0);
        double topP = number(body, "top_p", 0, 1, 1);
        if (topP == 0) throw ApiException.invalid("top_p", "top_p must be > 0");
        int topK = integer(body, "top_k", 0, Integer.MAX_VALUE, 0);
        long seed = longInteger(body, "seed", 0);
        List<String> stop = stop(body);
        boolean includeUsage = streamOptions(body, stream);
        int promptWords = countWords("prompt", prompt);
        GenerateOptions options = GenerateOptions.builder()
                .maxWords(words)
                .temperature((float) temperature)
                .topP((float) topP)
                .topK(topK)
                .seed(seed)
                // The runtime reports the chosen word first, then the best others: at least 1.
                .logProbs(logprobs == null ? null : Math.max(1, logprobs))
                // Runtime echo only adds the prompt words' log-probs; the echoed text is the prompt itself.
                .echo(echo && logprobs != null)
                .build();
        return new GenerationRequest(prompt, promptWords, options, stop, echo, logprobs, stream, includeUsage);
    }

    void requireModel(ObjectNode body) {
        String requested = string(body, "model");
        if (requested != null && !requested.equals(modelId)) {
            throw new ApiException(404, "invalid_request_error", "model", "model_not_found",
                    "the model '" + requested + "' does not exist; this server serves '" + modelId + "'", 0);
        }
    }

    /** OpenAI features a T-FREE model here cannot honour: refused rather than silently ignored. */
    private static void rejectUnsupported(ObjectNode body) {
        requireOne(body, "n");
        for (String name : List.of("tools", "functions")) {
            JsonNode v = field(body, name);
            if (v != null && !(v.isArray() && v.isEmpty())) throw ApiException.unsupported(name, name + " are not supported");
        }
        for (String name : List.of("tool_choice", "function_call")) {
            JsonNode v = field(body, name);
            if (v != null && !"none".equals(v.asText(null))) throw ApiException.unsupported(name, name + " is not supported");
        }
        JsonNode format = field(body, "response_format");
        if (format != null && !(format.isObject() && "text".equals(format.path("type").asText(null)) && format.size() == 1)) {
            throw ApiException.unsupported("response_format", "only response_format {\"type\": \"text\"} is supported");
        }
        JsonNode bias = field(body, "logit_bias");
        if (bias != null && !(bias.isObject() && bias.isEmpty())) throw ApiException.unsupported("logit_bias", "logit_bias is not supported");
        for (String name : List.of("frequency_penalty", "presence_penalty")) {
            if (number(body, name, -2, 2, 0) != 0) throw ApiException.unsupported(name, name + " is not supported (only 0)");
        }
        string(body, "user");
    }

    private static void requireOne(ObjectNode body, String name) {
        if (integer(body, name, 1, Integer.MAX_VALUE, 1) != 1) throw ApiException.unsupported(name, "only " + name + " = 1 is supported");
    }

    /** A completion prompt: a string, or a list of exactly one string. */
    private static String prompt(ObjectNode body) {
        JsonNode v = field(body, "prompt");
        if (v == null) throw ApiException.invalid("prompt", "prompt is required");
        if (v.isArray() && v.size() == 1 && v.get(0).isTextual()) v = v.get(0);
        if (!v.isTextual()) throw ApiException.invalid("prompt", "prompt must be a string (or a list of one string)");
        return wellFormed("prompt", v.textValue());
    }

    /** The messages as one text in the chat template, ending with the assistant's header. */
    private String conversation(ObjectNode body) {
        JsonNode messages = field(body, "messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty list");
        }
        StringBuilder text = new StringBuilder(template.begin());
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode message = messages.get(i);
            if (!message.isObject()) throw ApiException.invalid(param, param + " must be an object");
            if (field((ObjectNode) message, "tool_calls") != null) throw ApiException.unsupported(param + ".tool_calls", "tool calls are not supported");
            String role = string((ObjectNode) message, "role");
            String content = wellFormed(param + ".content", content(param, message.get("content")));
            String header = switch (role == null ? "" : role) {
                case "system", "developer" -> template.systemHeader();
                case "user" -> template.userHeader();
                case "assistant" -> template.assistantHeader();
                default -> throw ApiException.invalid(param + ".role", param + ".role must be system, developer, user or assistant");
            };
            text.append(header).append(content).append(template.endOfTurn());
        }
        return text.append(template.assistantHeader()).toString();
    }

    /** A message's content: a string, or a list of text parts. */
    private static String content(String param, JsonNode v) {
        if (v != null && v.isTextual()) return v.textValue();
        if (v == null || !v.isArray()) throw ApiException.invalid(param + ".content", param + ".content must be a string or a list of text parts");
        StringBuilder text = new StringBuilder();
        for (JsonNode part : v) {
            if (!part.isObject() || !"text".equals(part.path("type").asText(null))) {
                throw ApiException.unsupported(param + ".content", "only text content parts are supported");
            }
            if (!part.path("text").isTextual()) throw ApiException.invalid(param + ".content", "a text part needs a string \"text\"");
            text.append(part.get("text").textValue());
        }
        return text.toString();
    }

    private static List<String> stop(ObjectNode body) {
        JsonNode v = field(body, "stop");
        if (v == null) return List.of();
        List<String> stops = new ArrayList<>();
        if (v.isTextual()) {
            stops.add(v.textValue());
        } else if (v.isArray() && v.size() <= MAX_STOPS) {
            for (JsonNode s : v) {
                if (!s.isTextual()) throw ApiException.invalid("stop", "stop must be a string or a list of strings");
                stops.add(s.textValue());
            }
        } else {
            throw ApiException.invalid("stop", "stop must be a string or a list of at most " + MAX_STOPS + " strings");
        }
        for (String s : stops) {
            if (s.isEmpty()) throw ApiException.invalid("stop", "a stop text must not be empty");
            wellFormed("stop", s);
        }
        return stops;
    }

    private static boolean streamOptions(ObjectNode body, boolean stream) {
        JsonNode v = field(body, "stream_options");
        if (v == null) return false;
        if (!stream) throw ApiException.invalid("stream_options", "stream_options needs stream: true");
        if (!v.isObject()) throw ApiException.invalid("stream_options", "stream_options must be an object");
        return bool((ObjectNode) v, "include_usage", false);
    }

    /** The prompt's words: at least one, and no more than the model's context holds. */
    int countWords(String param, String text) {
        int words;
        try {
            words = model.encode(text).nWords();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(param, e.getMessage());
        }
        if (words == 0) throw ApiException.invalid(param, "the " + param + " has no words the model sees");
        int context = model.config().sequenceLength();
        if (words > context) {
            throw new ApiException(400, "invalid_request_error", param, "context_length_exceeded",
                    "the " + param + " has " + words + " words but the model's context is " + context + " words", 0);
        }
        return words;
    }

    // ---- typed fields: JSON null counts as absent ----

    static JsonNode field(ObjectNode body, String name) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? null : v;
    }

    static Integer integer(ObjectNode body, String name, int min, int max, Integer absent) {
        JsonNode v = field(body, name);
        if (v == null) return absent;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
            throw ApiException.invalid(name, name + " must be an integer in [" + min + ", " + max + "]");
        }
        return (int) v.longValue();
    }

    static long longInteger(ObjectNode body, String name, long absent) {
        JsonNode v = field(body, name);
        if (v == null) return absent;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw ApiException.invalid(name, name + " must be a 64-bit integer");
        return v.longValue();
    }

    static double number(ObjectNode body, String name, double min, double max, double absent) {
        JsonNode v = field(body, name);
        if (v == null) return absent;
        if (!v.isNumber() || !(v.doubleValue() >= min && v.doubleValue() <= max)) {
            throw ApiException.invalid(name, name + " must be a number in [" + min + ", " + max + "]");
        }
        return v.doubleValue();
    }

    static boolean bool(ObjectNode body, String name, boolean absent) {
        JsonNode v = field(body, name);
        if (v == null) return absent;
        if (!v.isBoolean()) throw ApiException.invalid(name, name + " must be true or false");
        return v.booleanValue();
    }

    static String string(ObjectNode body, String name) {
        JsonNode v = field(body, name);
        if (v == null) return null;
        if (!v.isTextual()) throw ApiException.invalid(name, name + " must be a string");
        return v.textValue();
    }

    /** JSON may carry lone surrogates ("\ud800"), which are not text; the runtime refuses them too. */
    static String wellFormed(String param, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ApiException.invalid(param, param + " has an unpaired surrogate at index " + i);
            }
        }
        return text;
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
