package dev.tfree4j.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.GenerationResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The response bodies in OpenAI's shapes: completions, chat completions and their stream chunks. */
final class OpenAiJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String id;
    private final String model;
    private final long created = System.currentTimeMillis() / 1000;

    /** One response's shared fields: {@code prefix} is "cmpl" or "chatcmpl". */
    OpenAiJson(String prefix, String model) {
        this.id = prefix + "-" + java.util.UUID.randomUUID();
        this.model = model;
    }

    static ObjectNode modelList(String modelId, long created) {
        ObjectNode list = JSON.objectNode().put("object", "list");
        list.putArray("data").add(model(modelId, created));
        return list;
    }

    static ObjectNode model(String modelId, long created) {
        return JSON.objectNode().put("id", modelId).put("object", "model").put("created", created).put("owned_by", "tfree4j");
    }

    // ---- /v1/completions ----

    ObjectNode completion(String text, Generator.Outcome outcome, Integer logprobs) {
        ObjectNode body = head("text_completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("text", text);
        if (logprobs == null) choice.putNull("logprobs");
        else choice.set("logprobs", completionLogprobs(outcome.result(), logprobs));
        choice.put("finish_reason", outcome.finishReason());
        body.set("usage", usage(outcome));
        return body;
    }

    ObjectNode completionChunk(String text, String finishReason) {
        ObjectNode body = head("text_completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0).put("text", text).putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return body;
    }

    /** Legacy log-probs: per word its log-prob and the best {@code k} alternatives (echoed prompt words too). */
    private static ObjectNode completionLogprobs(GenerationResult result, int k) {
        ObjectNode out = JSON.objectNode();
        ArrayNode tokens = out.putArray("tokens");
        ArrayNode tokenLogprobs = out.putArray("token_logprobs");
        ArrayNode top = out.putArray("top_logprobs");
        for (int i = 0; i < result.tokens().size(); i++) {
            tokens.add(result.tokens().get(i));
            List<Map.Entry<String, Float>> alternatives = result.logProbs().get(i);
            if (alternatives == null || alternatives.isEmpty()) { // the first echoed word has no context
                tokenLogprobs.addNull();
                top.addNull();
                continue;
            }
            tokenLogprobs.add(alternatives.getFirst().getValue());
            ObjectNode best = top.addObject();
            alternatives.stream().limit(k).forEach(e -> best.put(e.getKey(), e.getValue()));
        }
        return out;
    }

    // ---- /v1/chat/completions ----

    ObjectNode chatCompletion(String text, Generator.Outcome outcome, Integer logprobs) {
        ObjectNode body = head("chat.completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text).putNull("refusal");
        if (logprobs == null) choice.putNull("logprobs");
        else choice.putObject("logprobs").set("content", chatLogprobs(outcome.result(), logprobs));
        choice.put("finish_reason", outcome.finishReason());
        body.set("usage", usage(outcome));
        return body;
    }

    /** A stream chunk: {@code delta} is the role chunk's, a content piece's, or empty with the finish reason. */
    ObjectNode chatChunk(ObjectNode delta, String finishReason) {
        ObjectNode body = head("chat.completion.chunk");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return body;
    }

    static ObjectNode delta() {
        return JSON.objectNode();
    }

    private static ArrayNode chatLogprobs(GenerationResult result, int k) {
        ArrayNode content = JSON.arrayNode();
        for (int i = 0; i < result.tokens().size(); i++) {
            List<Map.Entry<String, Float>> alternatives = result.logProbs().get(i);
            if (alternatives == null || alternatives.isEmpty()) continue;
            ObjectNode word = content.addObject();
            tokenLogprob(word, result.tokens().get(i), alternatives.getFirst().getValue());
            ArrayNode top = word.putArray("top_logprobs");
            alternatives.stream().limit(k).forEach(e -> tokenLogprob(top.addObject(), e.getKey(), e.getValue()));
        }
        return content;
    }

    private static void tokenLogprob(ObjectNode node, String token, float logprob) {
        node.put("token", token).put("logprob", logprob);
        ArrayNode bytes = node.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) bytes.add(b & 0xff);
    }

    // ---- shared ----

    /** The last chunk of a stream with {@code include_usage}: no choices, the usage. */
    ObjectNode usageChunk(String object, Generator.Outcome outcome) {
        ObjectNode body = head(object);
        body.putArray("choices");
        body.set("usage", usage(outcome));
        return body;
    }

    private ObjectNode head(String object) {
        return JSON.objectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static ObjectNode usage(Generator.Outcome outcome) {
        return JSON.objectNode().put("prompt_tokens", outcome.promptWords()).put("completion_tokens", outcome.generatedWords())
                .put("total_tokens", outcome.promptWords() + outcome.generatedWords());
    }
}
