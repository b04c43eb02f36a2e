package dev.tfree4j.server;

import static dev.tfree4j.server.TestServers.MODEL_ID;
import static dev.tfree4j.server.TestServers.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ControlMode;
import dev.tfree4j.Json;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainJson;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.PostProcessing;
import dev.tfree4j.explain.PromptGranularity;
import dev.tfree4j.explain.TargetGranularity;
import dev.tfree4j.explain.TargetScore;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/explain} against a running server: each hosted-API field maps to the runtime's
 * {@link ExplainRequest} setting of the same meaning (checked by explaining the same request
 * directly and comparing the JSON {@code tfree4j explain --json} prints), and bad requests get
 * OpenAI-shaped errors.
 */
class ExplainEndpointTest {
    private static final String KEY = "explain-key";
    private static final String PROMPT = "In the beginning God created the heaven and the earth. And the earth was";
    private static final String TARGET = " without form, and void";

    private static OpenAiServer server;
    private static TFreeModel model;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServers.start(ServerConfig.DEFAULT.withApiKey(KEY));
        model = TFreeModel.open(BundledModel.locate());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        if (model != null) model.close();
    }

    private static HttpResponse<String> explain(Object body) throws Exception {
        return post(server, "/v1/explain", KEY, Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    /** The CLI's --json for the request, without the timings (they differ run to run). */
    private static JsonNode expected(ExplainRequest request) throws Exception {
        // Through the text, as a client reads it (a float setting becomes a JSON number like any other).
        return withoutTimings(Json.MAPPER.readTree(ExplainJson.write(model.explain(request))));
    }

    private static JsonNode withoutTimings(JsonNode json) {
        ObjectNode stats = (ObjectNode) json.get("stats");
        for (String timing : List.of("baseline_ms", "suppressed_ms", "scoring_ms")) {
            assertTrue(stats.get(timing).isNumber(), timing);
            stats.remove(timing);
        }
        return json;
    }

    @Test
    void defaultsAreTheHostedApisAndTheAnswerIsTheCliJson() throws Exception {
        HttpResponse<String> response = explain(Map.of("model", MODEL_ID, "prompt", PROMPT, "target", TARGET));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals(expected(ExplainRequest.builder(PROMPT).target(TARGET).build()), withoutTimings(body));
        assertEquals(0.1, body.at("/settings/control_factor").doubleValue(), 1e-7);
        assertTrue(body.at("/explanations/0/items").size() > 1, "one item per prompt unit (+ target words)");
    }

    @Test
    void everyFieldReachesTheRuntime() throws Exception {
        Map<String, Object> body = Map.ofEntries(
                Map.entry("prompt", List.of(Map.of("type", "text", "data", PROMPT))),
                Map.entry("target", TARGET),
                Map.entry("control_factor", 0.3),
                Map.entry("control_log_additive", false),
                Map.entry("contextual_control_threshold", 0.5),
                Map.entry("conceptual_scaled", false),
                Map.entry("control_token_overlap", "complete"),
                Map.entry("prompt_granularity", Map.of("type", "custom", "delimiter", ",")),
                Map.entry("target_granularity", "token"),
                Map.entry("postprocessing", "square"),
                Map.entry("normalize", true),
                Map.entry("score", "bce"),
                Map.entry("layers", List.of(0)));
        HttpResponse<String> response = explain(body);
        assertEquals(200, response.statusCode(), response.body());
        ExplainRequest same = ExplainRequest.builder(PROMPT).target(TARGET).factor(0.3f).mode(ControlMode.MULT)
                .conceptualThreshold(0.5).conceptualScaled(false).promptGranularity(PromptGranularity.custom(","))
                .targetGranularity(TargetGranularity.WORD).postprocessing(PostProcessing.SQUARE).normalize(true)
                .score(TargetScore.BCE).layers(0).build();
        JsonNode answer = withoutTimings(Json.MAPPER.readTree(response.body()));
        assertEquals(expected(same), answer);
        assertTrue(answer.get("explanations").size() > 1, "token target granularity: one explanation per target word");
        // The settings changed the scores: the default request explains differently.
        assertFalse(expected(ExplainRequest.builder(PROMPT).target(TARGET).build()).get("explanations")
                .equals(answer.get("explanations")));
    }

    @Test
    void withoutATargetTheModelsOwnContinuationIsExplained() throws Exception {
        // As `tfree4j explain` without --target, with the sampling of /v1/completions.
        HttpResponse<String> response = explain(Map.of("prompt", PROMPT, "max_tokens", 6, "temperature", 0.1, "seed", 5,
                "prompt_granularity", "word"));
        assertEquals(200, response.statusCode(), response.body());
        var words = model.generate(PROMPT, dev.tfree4j.GenerateOptions.builder().maxWords(6).temperature(0.1f).seed(5).build()).tokens();
        assertEquals(6, words.size());
        assertEquals(expected(ExplainRequest.builder(PROMPT).targetWords(words).promptGranularity(PromptGranularity.WORD).build()),
                withoutTimings(Json.MAPPER.readTree(response.body())));
    }

    @Test
    void wordAndSentenceGranularitiesAsStrings() throws Exception {
        for (String granularity : List.of("word", "sentence", "paragraph")) {
            HttpResponse<String> response = explain(Map.of("prompt", PROMPT, "target", TARGET, "prompt_granularity", granularity));
            assertEquals(200, response.statusCode(), response.body());
            PromptGranularity g = switch (granularity) {
                case "word" -> PromptGranularity.WORD;
                case "sentence" -> PromptGranularity.SENTENCE;
                default -> PromptGranularity.PARAGRAPH;
            };
            assertEquals(expected(ExplainRequest.builder(PROMPT).target(TARGET).promptGranularity(g).build()),
                    withoutTimings(Json.MAPPER.readTree(response.body())));
        }
    }

    @Test
    void badRequestsGetOpenAiErrors() throws Exception {
        record Bad(String body, int status, String param) {}
        String ok = "\"prompt\": \"In the beginning\", \"target\": \" God\"";
        List<Bad> cases = List.of(
                new Bad("{", 400, null),
                new Bad("[]", 400, null),
                new Bad("{\"target\": \" God\"}", 400, "prompt"),
                new Bad("{\"prompt\": \"In the beginning\", \"max_tokens\": 0}", 400, "max_tokens"),
                new Bad("{\"prompt\": \"In the beginning\", \"temperature\": \"hot\"}", 400, "temperature"),
                new Bad("{" + ok + ", \"max_tokens\": 4}", 400, "max_tokens"),
                new Bad("{" + ok + ", \"seed\": 4}", 400, "seed"),
                new Bad("{\"prompt\": \"In the beginning\", \"target\": \"\"}", 400, "target"),
                new Bad("{\"prompt\": 5, \"target\": \" God\"}", 400, "prompt"),
                new Bad("{\"prompt\": \"\", \"target\": \" God\"}", 400, "prompt"),
                new Bad("{\"prompt\": [{\"type\": \"image\", \"data\": \"AAAA\"}], \"target\": \" God\"}", 400, "prompt"),
                new Bad("{" + ok + ", \"control_factor\": \"big\"}", 400, "control_factor"),
                new Bad("{" + ok + ", \"control_factor\": -1}", 400, "control_factor"),
                new Bad("{" + ok + ", \"control_factor\": 1e7}", 400, "control_factor"),
                new Bad("{" + ok + ", \"control_log_additive\": 1}", 400, "control_log_additive"),
                new Bad("{" + ok + ", \"contextual_control_threshold\": -0.5}", 400, "contextual_control_threshold"),
                new Bad("{" + ok + ", \"control_token_overlap\": \"some\"}", 400, "control_token_overlap"),
                new Bad("{" + ok + ", \"prompt_granularity\": \"letter\"}", 400, "prompt_granularity"),
                new Bad("{" + ok + ", \"prompt_granularity\": {\"type\": \"custom\"}}", 400, "prompt_granularity"),
                new Bad("{" + ok + ", \"prompt_granularity\": 3}", 400, "prompt_granularity"),
                new Bad("{" + ok + ", \"target_granularity\": \"sentence\"}", 400, "target_granularity"),
                new Bad("{" + ok + ", \"postprocessing\": \"cube\"}", 400, "postprocessing"),
                new Bad("{" + ok + ", \"normalize\": \"yes\"}", 400, "normalize"),
                new Bad("{" + ok + ", \"score\": \"logit\"}", 400, "score"),
                new Bad("{" + ok + ", \"layers\": []}", 400, "layers"),
                new Bad("{" + ok + ", \"layers\": [" + model.config().numLayers() + "]}", 400, "layers"),
                new Bad("{" + ok + ", \"layers\": [-1]}", 400, "layers"),
                new Bad("{" + ok + ", \"model\": \"gpt-4\"}", 404, "model"));
        for (Bad bad : cases) {
            HttpResponse<String> response = post(server, "/v1/explain", KEY, bad.body().getBytes(StandardCharsets.UTF_8));
            assertEquals(bad.status(), response.statusCode(), bad.body() + " -> " + response.body());
            JsonNode error = Json.MAPPER.readTree(response.body()).get("error");
            assertTrue(error.get("message").isTextual() && !error.get("message").textValue().isEmpty(), response.body());
            assertEquals(bad.param(), error.get("param").isNull() ? null : error.get("param").textValue(), bad.body());
        }
        // Without the key: 401; the wrong method: 405.
        assertEquals(401, post(server, "/v1/explain", null, ("{" + ok + "}").getBytes(StandardCharsets.UTF_8)).statusCode());
        assertEquals(405, TestServers.get(server, "/v1/explain", KEY).statusCode());
        // A target that is not a continuation the joint split keeps (the seam moves): the runtime's message, 400.
        HttpResponse<String> seam = explain(Map.of("prompt", "In the begin", "target", "ning God"));
        assertEquals(400, seam.statusCode(), seam.body());
        assertEquals(0, server.openSessions());
    }
}
