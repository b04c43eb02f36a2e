package dev.tfree4j.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.explain.ExplainHtml;
import dev.tfree4j.explain.ExplainItem;
import dev.tfree4j.explain.ExplainRequest;
import dev.tfree4j.explain.ExplainResult;
import dev.tfree4j.explain.Explanation;
import dev.tfree4j.explain.PromptGranularity;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The playground at {@code /} in a real browser (headless Chromium over the DevTools protocol):
 * it streams a completion from the server into the page, and draws an explanation as the
 * heat-map {@code tfree4j explain --html} draws, cell by cell in the same colours. Skipped, with
 * a message, only when no Chromium binary exists ({@code tools/chromium/setup.sh} installs it).
 */
class PlaygroundTest {
    private static final String PROMPT = "In the beginning God created";

    private static OpenAiServer server;
    private static TFreeModel model;

    @BeforeAll
    static void start() throws InterruptedException {
        server = TestServers.start(ServerConfig.DEFAULT);
        model = TFreeModel.open(BundledModel.locate());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
        if (model != null) model.close();
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        HttpResponse<String> page = TestServers.get(server, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String html = page.body();
        assertFalse(html.contains("__"), "every placeholder is filled in");
        assertTrue(html.contains("\"" + ExplainHtml.POSITIVE_RGB + "\""), "the colours come from ExplainHtml");
        // Nothing from elsewhere: no external script, style sheet, font or image.
        for (String external : List.of("src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url(")) {
            assertFalse(html.contains(external), external);
        }
        assertEquals(405, TestServers.post(server, "/", null, new byte[0]).statusCode());
    }

    @Test
    void streamsACompletionAndDrawsItsExplanation() throws Exception {
        Path chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium != null,
                "no chromium binary (/usr/bin/chromium or $CHROMIUM): run tools/chromium/setup.sh to include the browser test");
        try (HeadlessChromium browser = new HeadlessChromium(chromium, "http://127.0.0.1:" + server.port() + "/")) {
            browser.await("document.readyState === 'complete' && document.getElementById('model')?.textContent === 'model: "
                    + TestServers.MODEL_ID + "'", Duration.ofSeconds(60));

            // Type a prompt, count the page's updates while it streams, and generate.
            browser.eval("/* the page's own $ */ "
                    + "$('prompt').value = " + js(PROMPT) + "; $('max_tokens').value = 12; $('granularity').value = 'word';"
                    + "window.updates = 0; new MutationObserver(m => window.updates += m.length)"
                    + ".observe($('output'), {subtree: true, childList: true, characterData: true});"
                    + "$('run').click(); true");
            browser.await("!document.getElementById('status').textContent.startsWith('generating')", Duration.ofSeconds(120));
            assertTrue(browser.eval("document.getElementById('status').textContent").asText().startsWith("done"));
            String shown = browser.eval("document.getElementById('completion').textContent").asText();
            String expected = TestServers.reference(model, PROMPT, GenerateOptions.builder().maxWords(12).build());
            assertEquals(expected, shown, "the page shows the server's words");
            assertTrue(browser.eval("window.updates").asInt() > 3, "the words arrived one by one");

            // Explain the continuation: one heat-map cell per prompt word, coloured as ExplainHtml colours it.
            browser.eval("document.getElementById('explain').click(); true");
            browser.await("!document.getElementById('status').textContent.startsWith('explaining')", Duration.ofSeconds(120));
            assertEquals("explained", browser.eval("document.getElementById('status').textContent").asText());
            JsonNode cells = browser.eval("[...document.querySelectorAll('#heatmap .u')]"
                    + ".map(c => ({text: c.textContent, style: c.getAttribute('style')}))");
            // The page asks the server to explain the words it generated (the same count, greedy).
            List<String> words = model.generate(PROMPT, GenerateOptions.builder().maxWords(12).build()).tokens();
            ExplainResult reference = model.explain(ExplainRequest.builder(PROMPT).targetWords(words)
                    .promptGranularity(PromptGranularity.WORD).build());
            Explanation explanation = reference.explanations().getFirst();
            double max = explanation.items().stream().mapToDouble(i -> Math.abs(i.score())).max().orElseThrow();
            List<ExplainItem> promptItems = explanation.promptItems();
            assertEquals(promptItems.size(), cells.size(), cells.toString());
            for (int i = 0; i < promptItems.size(); i++) {
                assertEquals(promptItems.get(i).text(), cells.get(i).get("text").asText());
                assertEquals(ExplainHtml.style(promptItems.get(i).score(), max), cells.get(i).get("style").asText(), "cell " + i);
            }
            assertEquals(reference.target(), browser.eval("document.querySelector('#heatmap .target').textContent").asText());

            Path shot = Path.of("target", "playground.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, browser.screenshot());
            assertTrue(Files.size(shot) > 10_000, "a real screenshot");
        }
        assertEquals(0, server.openSessions(), "the browser's requests left no session open");
    }

    private static String js(String text) {
        return dev.tfree4j.Json.write(text);
    }
}
