package dev.tfree4j;

import dev.tfree4j.hat.HatGenerateOptions;
import dev.tfree4j.hat.HatGenerationResult;
import dev.tfree4j.hat.HatGenerator;
import dev.tfree4j.hat.HatStreamListener;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A conversation with a HAT SFT/DPO model in the Llama-3 template of the HF helper
 * (docs/spec/hat.md §3.4). Each turn runs the whole conversation again (no cache is kept between
 * turns yet); the eot byte ends the assistant's turn. Not thread-safe.
 */
public final class HatChat {
    private final TFreeModel model;
    private final String system;
    private final List<Map.Entry<String, String>> messages = new ArrayList<>();

    HatChat(TFreeModel model, String system) {
        this.model = model;
        this.system = system;
        model.hat();  // a HAT model, or the clear error
    }

    /** The prompt the next turn would run for {@code user}. */
    public String promptFor(String user) {
        List<Map.Entry<String, String>> all = new ArrayList<>(messages);
        all.add(new AbstractMap.SimpleImmutableEntry<>("user", user));
        return HatGenerator.llama3ChatPrompt(system, all);
    }

    /** The assistant's reply to {@code user}; both join the conversation. */
    public HatGenerationResult say(String user, HatGenerateOptions options, HatStreamListener listener) {
        if (user == null) throw new IllegalArgumentException("user is null");
        TextInput.requireWellFormed("user", user);
        HatGenerationResult r = model.generate(promptFor(user), options, listener);
        messages.add(new AbstractMap.SimpleImmutableEntry<>("user", user));
        messages.add(new AbstractMap.SimpleImmutableEntry<>("assistant", r.text()));
        return r;
    }

    /** The conversation so far: (role, text) pairs. */
    public List<Map.Entry<String, String>> messages() {
        return List.copyOf(messages);
    }
}
