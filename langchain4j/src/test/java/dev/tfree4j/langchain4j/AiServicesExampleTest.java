package dev.tfree4j.langchain4j;

import static dev.tfree4j.langchain4j.TFreeModelsTest.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.memory.chat.TokenWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.tfree4j.BundledModel;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.GenerateOptions;
import dev.tfree4j.TFreeModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's example: an AiServices assistant with chat memory on the bundled model. The
 * second answer must come from the whole conversation (the memory is fed to the model).
 */
class AiServicesExampleTest {
    /** What the application declares; AiServices implements it. */
    interface Assistant {
        String chat(String message);
    }

    @BeforeAll
    static void open() {
        TFreeModelsTest.model = TFreeModel.open(BundledModel.locate());
    }

    @AfterAll
    static void close() {
        TFreeModelsTest.model.close();
    }

    @Test
    void anAssistantWithChatMemory() {
        TFreeModel model = TFreeModelsTest.model;
        TFreeChatModel chatModel = TFreeChatModel.builder().model(model).maxOutputTokens(8).build();
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel)
                .chatMemory(MessageWindowChatMemory.withMaxMessages(10)).build();

        String first = assistant.chat("Who made the heaven?");
        String second = assistant.chat("And the earth?");

        ChatTemplate t = ChatTemplate.INSTRUCT;
        GenerateOptions eight = GenerateOptions.builder().maxWords(8).build();
        assertEquals(reference(t.begin() + t.userTurn("Who made the heaven?"), eight), first);
        // The second turn sees the first question and answer: the memory worked.
        String conversation = t.begin() + t.userTurn("Who made the heaven?") + first + t.endOfTurn() + t.userTurn("And the earth?");
        assertEquals(reference(conversation, eight), second);
    }

    @Test
    void aTokenWindowMemoryCountsModelWords() {
        TFreeTokenCountEstimator words = new TFreeTokenCountEstimator(TFreeModelsTest.model);
        int limit = 40;
        ChatMemory memory = TokenWindowChatMemory.withMaxTokens(limit, words);
        List<ChatMessage> said = List.of(UserMessage.from("In the beginning God created the heaven and the earth."),
                AiMessage.from("And the earth was without form, and void."),
                UserMessage.from("And darkness was upon the face of the deep."),
                AiMessage.from("And the Spirit of God moved upon the face of the waters."));
        for (ChatMessage m : said) memory.add(m);
        List<ChatMessage> kept = memory.messages();
        assertTrue(kept.size() < said.size(), "the oldest messages were evicted: " + kept);
        int sum = kept.stream().mapToInt(words::estimateTokenCountInMessage).sum();
        assertTrue(sum <= limit, sum + " words kept");
        assertEquals(said.getLast(), kept.getLast());
    }
}
