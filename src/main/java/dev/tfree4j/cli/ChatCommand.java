package dev.tfree4j.cli;

import dev.tfree4j.GenerateOptions;
import dev.tfree4j.GenerationResult;
import dev.tfree4j.TFreeModel;
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
 * {@code tfree4j chat}: an interactive loop with the instruct chat template of spec §6.3, for
 * instruct checkpoints. Each user line is appended to the running prompt, the answer streams
 * word by word, and the answer (up to end-of-text) stays in the conversation.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, description = "Chat with an instruct checkpoint (one line per turn; empty line or EOF ends).")
final class ChatCommand implements Callable<Integer> {
    static final String END = "<|endoftext|>";

    @Spec CommandSpec spec;
    @Mixin ModelOption model;
    @Mixin CommonOptions common;

    @Option(names = "--system", defaultValue = "You are a helpful assistant.", description = "The system message.")
    String system;

    @Option(names = "--max-words", defaultValue = "512", description = "Words per answer at most (default ${DEFAULT-VALUE}).")
    int maxWords;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder conversation = new StringBuilder(systemTurn(system));
        GenerateOptions options = GenerateOptions.builder().maxWords(maxWords).build();
        try (TFreeModel m = TFreeModel.open(model.directory(), model.options())) {
            for (;;) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.isBlank()) break;
                conversation.append(userTurn(line));
                GenerationResult r = m.generate(conversation.toString(), options, (word, id, text) -> {
                    if (!word.equals(END)) out.print(text);
                    out.flush();
                    return true;
                });
                out.println();
                conversation.append(r.completion());
                if (!r.completion().endsWith(END)) conversation.append(END);
            }
        }
        return 0;
    }

    static String systemTurn(String system) {
        return "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" + system + END;
    }

    static String userTurn(String text) {
        return "<|start_header_id|>user<|end_header_id|>\n\n" + text + END + "<|start_header_id|>assistant<|end_header_id|>";
    }
}
