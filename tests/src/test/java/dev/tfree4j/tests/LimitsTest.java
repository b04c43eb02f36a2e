package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.BundledModel;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.GenerationResult.StopReason;
import dev.tfree4j.ModelOptions;
import dev.tfree4j.TFreeModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The defined behaviour at the edges of the API (RELIABILITY.md, "Limits and defined behaviour"). */
class LimitsTest {
    private static TFreeModel model;
    private static int context;

    @BeforeAll
    static void open() {
        model = TFreeModel.open(BundledModel.locate(), ModelOptions.DEFAULT.withThreads(1));
        context = model.config().sequenceLength();
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void hugeMaxWordsStopsAtTheContext() {
        GenerationResult r = model.generate("In the beginning",
                GenerateOptions.builder().maxWords(Integer.MAX_VALUE).abortOnEndOfText(false).build());
        assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
        // 3 prompt words; every generated word but the last is fed back: 3 + (words - 1) = context.
        assertEquals(context - 3 + 1, r.tokens().size());
    }

    @Test
    void promptsBeyondTheContextAreRefusedNotTruncated() {
        String atLimit = "a ".repeat(context).strip();
        assertEquals(context, model.encode(atLimit).nWords());  // the space between words is implicit
        // A prompt that fills the context still gets its one next word (it needs no position).
        GenerationResult full = model.generate(atLimit, GenerateOptions.builder().maxWords(5).build());
        assertEquals(1, full.tokens().size());
        assertEquals(StopReason.CONTEXT_FULL, full.stopReason());
        var e = assertThrows(IllegalArgumentException.class, () -> model.generate("a ".repeat(context) + "a"));
        assertTrue(e.getMessage().contains("sequence_length is " + context), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.logits("a ".repeat(context) + "a"));
    }

    @Test
    void emptyAndWhitespacePrompts() {
        var e = assertThrows(IllegalArgumentException.class, () -> model.generate(""));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.generate(null));
        assertThrows(IllegalArgumentException.class, () -> model.logits(""));
        // Whitespace is text to a T-FREE model (whitespace words): a valid prompt.
        GenerationResult r = model.generate("   \n", GenerateOptions.builder().maxWords(3).build());
        assertFalse(r.tokens().isEmpty());
        // maxWords 0: nothing generated, not an error.
        GenerationResult none = model.generate("In the beginning", GenerateOptions.builder().maxWords(0).build());
        assertTrue(none.tokens().isEmpty());
        assertEquals(StopReason.MAX_WORDS, none.stopReason());
    }

    @Test
    void unpairedSurrogatesAreRefusedWithTheirIndex() {
        var e = assertThrows(IllegalArgumentException.class, () -> model.generate("In the \uD800 beginning"));
        assertTrue(e.getMessage().contains("prompt") && e.getMessage().contains("U+D800") && e.getMessage().contains("index 7"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.generate("ends with\uDC00"));
        assertTrue(e.getMessage().contains("U+DC00 at index 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> model.encode("\uDBFF"));
        assertTrue(e.getMessage().contains("index 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.generate("In", GenerateOptions.builder().moreWords("x\uD801").build()));
        assertTrue(e.getMessage().contains("moreWords"), e.getMessage());
        // A paired surrogate (an emoji) is ordinary text.
        assertEquals(StopReason.MAX_WORDS, model.generate("In the \uD83D\uDE00 beginning",
                GenerateOptions.builder().maxWords(2).abortOnEndOfText(false).build()).stopReason());
    }
}
