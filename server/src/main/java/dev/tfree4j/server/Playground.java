package dev.tfree4j.server;

import dev.tfree4j.explain.ExplainHtml;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The web playground served at {@code /}: one self-contained page ({@code playground.html}, no
 * build step, nothing loaded from elsewhere) that streams completions and chats from the API
 * endpoints and draws {@code /v1/explain} as a heat-map. Its colours are filled in here from
 * {@link ExplainHtml}, so the page and {@code tfree4j explain --html} share one colour scale.
 */
final class Playground {
    private Playground() {}

    static final byte[] PAGE = load();

    private static byte[] load() {
        try (InputStream in = Playground.class.getResourceAsStream("playground.html")) {
            if (in == null) throw new IllegalStateException("playground.html is missing from the server jar");
            String page = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("__POSITIVE_RGB__", ExplainHtml.POSITIVE_RGB)
                    .replace("__NEGATIVE_RGB__", ExplainHtml.NEGATIVE_RGB)
                    .replace("__MAX_ALPHA__", String.format(Locale.ROOT, "%s", ExplainHtml.MAX_ALPHA));
            return page.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read playground.html", e);
        }
    }
}
