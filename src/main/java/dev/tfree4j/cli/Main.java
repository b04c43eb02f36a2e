package dev.tfree4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The tfree4j command line: {@code tfree4j <command> [options]}. */
@Command(name = "tfree4j", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Run tokenizer-free (T-FREE) language models on the JVM.",
        subcommands = {GenerateCommand.class, ExplainCommand.class, ConceptualThresholdCommand.class, LogitsCommand.class,
                SplitCommand.class, IdsCommand.class, EvalCommand.class, ChatCommand.class,
                DivergenceCommand.class, QuantizePlanCommand.class, ConvertCommand.class, DevicesCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        // picocli would read an argument "@FILE" as FILE's lines: a prompt starting with '@' would
        // then print that file in an error message ("@/etc/passwd"). Arguments are taken literally.
        cli.setExpandAtFiles(false);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler(new ErrorHandler());
        return cli.execute(args);
    }
}
