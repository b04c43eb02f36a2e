package dev.tfree4j.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tfree4j.Chat;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.Session;
import dev.tfree4j.TFreeModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The steppable {@link Session} and the {@link Chat} built on it, on the bundled model: driving
 * a session by hand gives what one generate call gives, and a chat's later turn answers as a
 * generation over the whole conversation without running the conversation through the model again.
 */
class SessionTest {
    private static final String PROMPT = "And the LORD said";
    private static TFreeModel model;

    @BeforeAll
    static void open() {
        model = TFreeModel.openDefault();
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void prefillThenStepsGiveTheRowsOfOneGenerateCall() {
        GenerationResult r = model.generate(PROMPT, GenerateOptions.builder().maxWords(12).build());
        try (Session s = model.newSession()) {
            s.prefill(PROMPT);
            int promptWords = s.length();
            for (int i = 0; i < r.tokens().size(); i++) {
                assertArrayEquals(r.logits().get(i), s.nextLogits(), 0f, "the row behind word " + i);
                if (i + 1 < r.tokens().size()) s.accept(r.tokens().get(i));
            }
            assertEquals(promptWords + r.tokens().size() - 1, s.length());
            assertEquals(s.length(), s.forwardedPositions());
        }
    }

    @Test
    void truncateForgetsPositionsAndRefeedingGivesTheSameRow() {
        try (Session s = model.newSession(16)) {
            s.prefill(PROMPT);
            s.accept("unto");
            float[] afterUnto = s.nextLogits();
            s.truncate(s.length() - 1);
            assertThrows(IllegalStateException.class, s::nextLogits);
            s.accept("unto");
            assertArrayEquals(afterUnto, s.nextLogits(), 0f);
            assertThrows(IllegalArgumentException.class, () -> s.prefill("a ".repeat(16)));
        }
    }

    @Test
    void aChatTurnAnswersAsGenerateOverTheConversationWithoutRePrefilling() {
        GenerateOptions options = GenerateOptions.builder().maxWords(12).abortOnEndOfText(true).build();
        ChatTemplate t = ChatTemplate.INSTRUCT;
        try (Chat chat = model.chat(t, "You are a helpful assistant.")) {
            GenerationResult first = chat.say("Who made the heaven and the earth?", options, null);
            String firstPrompt = t.systemTurn("You are a helpful assistant.") + t.userTurn("Who made the heaven and the earth?");
            assertEquals(model.generate(firstPrompt, options).tokens(), first.tokens());

            String before = chat.conversation();
            long forwardedBefore = chat.forwardedPositions();
            GenerationResult second = chat.say("And what did he say?", options, null);
            String fullPrompt = before + t.userTurn("And what did he say?");
            assertEquals(model.generate(fullPrompt, options).tokens(), second.tokens());

            // The second turn ran only the positions the cache did not hold: far fewer than the conversation.
            int conversationWords = model.encode(fullPrompt).nWords();
            long secondTurn = chat.forwardedPositions() - forwardedBefore;
            int newWords = conversationWords - model.encode(before).nWords();
            assertTrue(secondTurn <= newWords + 2 + second.tokens().size(),
                    "second turn forwarded " + secondTurn + " positions for " + newWords + " new words");
            assertTrue(secondTurn < conversationWords, secondTurn + " >= " + conversationWords);
        }
    }

    @Test
    void aChatRefusesWhatDoesNotApplyToATurn() {
        try (Chat chat = model.chat(ChatTemplate.INSTRUCT, "sys")) {
            assertThrows(IllegalArgumentException.class,
                    () -> chat.say("hi", GenerateOptions.builder().echo(true).build(), null));
        }
    }

    @Test
    void aSessionFailsCleanlyOnceItsModelIsClosed() {
        TFreeModel m = TFreeModel.openDefault();
        Session s = m.newSession(8);
        s.prefill(PROMPT);
        m.close();
        var e = assertThrows(IllegalStateException.class, () -> s.accept("unto"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        s.close();
    }
}
