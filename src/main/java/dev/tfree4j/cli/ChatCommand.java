package dev.tfree4j.cli;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.Chat;
import dev.tfree4j.ChatTemplate;
import dev.tfree4j.HatChat;
import dev.tfree4j.TFreeModel;
import dev.tfree4j.hat.HatGenerateOptions;
import dev.tfree4j.hat.HatStreamListener;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tfree4j chat}: an interactive loop with the instruct chat template of docs/spec/tfree.md §6.3
 * ({@link ChatTemplate#INSTRUCT}), for instruct checkpoints. Each user line is a turn of one
 * runtime {@link Chat}, whose KV cache keeps the conversation; the answer streams word by word.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chat with an instruct checkpoint (one line per turn; empty line or EOF ends).")
final class ChatCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--system", description = "The system message (default: \"You are a helpful assistant.\"; HAT: the HF template's).")
    String system;

    @Option(names = "--max-words", defaultValue = "512", description = "Words per answer at most (default ${DEFAULT-VALUE}).")
    int maxWords;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        if (HatCli.isHat(model)) return hatChat(in, out);
        if (system == null) system = "You are a helpful assistant.";
        GenerateOptions options = GenerateOptions.builder().maxWords(maxWords).build();
        String end = ChatTemplate.INSTRUCT.endOfTurn();
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options());
             Chat chat = m.chat(ChatTemplate.INSTRUCT, system)) {
            for (;;) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.isBlank()) break;
                chat.say(line, options, (word, id, text) -> {
                    if (!word.equals(end)) out.print(text);
                    out.flush();
                    return true;
                });
                out.println();
            }
        }
        return 0;
    }

    /** A HAT SFT/DPO model: the Llama-3 template (docs/spec/hat.md §3.4); words stream as they complete. */
    private int hatChat(BufferedReader in, PrintWriter out) throws IOException {
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            HatChat chat = m.hatChat(system);
            HatGenerateOptions options = HatGenerateOptions.builder().maxWords(Math.max(1, maxWords))
                    .maxBytes((int) Math.min(1 << 20, (long) Math.max(1, maxWords) * m.hat().config().maxWordSize())).build();
            for (;;) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.isBlank()) break;
                chat.say(line, options, new HatStreamListener() {
                    @Override
                    public boolean onWord(byte[] word, String text) {
                        out.print(text);
                        out.flush();
                        return true;
                    }
                });
                out.println();
            }
        }
        return 0;
    }
}
