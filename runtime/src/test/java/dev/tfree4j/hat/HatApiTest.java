package dev.tfree4j.hat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.HatChat;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.UnsupportedModelException;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One API for both families: TFreeModel.open on hat-tiny-a generates, streams, chats and scores. */
class HatApiTest {
    @Test
    void tfreeModelOpensAHatModelAndGeneratesChatsStreamsAndScores() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(Fixtures.fixture("hat-tiny-a").resolve("golden/generate.json").toFile());
        try (TFreeModel model = TFreeModel.open(Fixtures.fixture("hat-tiny-a"))) {
            // The word-level API: words as HAT's boundary test ends them, streamed as they complete.
            JsonNode g0 = golden.get("generate").get(0);
            List<String> streamed = new ArrayList<>();
            GenerationResult r = model.generate(g0.get("prompt").asText(), GenerateOptions.builder().maxWords(3).build(),
                    (word, id, text) -> streamed.add(text));
            assertEquals(GenerationResult.StopReason.MAX_WORDS, r.stopReason());
            assertEquals(3, r.tokens().size());
            assertEquals(r.tokens(), streamed);
            assertEquals(String.join("", r.tokens()), r.completion());
            assertTrue(g0.get("generated_text").asText().startsWith(r.completion()), r.completion());

            // The HAT API: byte budget and the chat template (fixture prompt 2 is that template).
            HatGenerationResult bytes = model.generate(g0.get("prompt").asText(),
                    HatGenerateOptions.builder().maxBytes(48).build(), null);
            assertEquals(g0.get("generated_text").asText(), bytes.text());
            HatChat chat = model.hatChat("Be brief.");
            JsonNode g2 = golden.get("generate").get(2);
            assertEquals(g2.get("prompt").asText(), chat.promptFor("Name three colours."));
            HatGenerationResult reply = chat.say("Name three colours.", HatGenerateOptions.builder().maxBytes(48).build(), null);
            assertEquals(g2.get("generated_text").asText(), reply.text());
            assertEquals(List.of("user", "assistant"), chat.messages().stream().map(Map.Entry::getKey).toList());

            // Logits: one row per byte.
            TFreeModel.Logits logits = model.logits("Q");
            assertEquals(1, logits.rows());
            assertEquals(256, logits.vocab());
            assertTrue(model.logLikelihood("The", " cat").total() < 0);

            var explain = assertThrows(UnsupportedModelException.class, () -> model.explain(ExplainRequest.builder("a").target("b").build()));
            assertTrue(explain.getMessage().contains("explain (AtMan) works on T-FREE models only"), explain.getMessage());
        }
    }
}
