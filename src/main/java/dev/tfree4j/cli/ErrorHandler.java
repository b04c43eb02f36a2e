package dev.tfree4j.cli;

import dev.tfree4j.TFreeException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Errors become one clear line on stderr and a non-zero exit code; the stack trace only with
 * {@code --verbose}. Exit codes: 1 = the input or a file is bad, 2 = bad usage, 3 = a bug.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean expected = e instanceof TFreeException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof java.io.IOException;
        err.println("tfree4j: error: " + message(e));
        if (verbose(parsed)) {
            e.printStackTrace(err);
        } else if (!expected) {
            err.println("(this looks like a bug in tfree4j; rerun with --verbose for the stack trace)");
        }
        err.flush();
        return expected ? 1 : 3;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        cli.getErr().println("tfree4j: " + e.getMessage());
        cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help'.");
        return 2;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) return true;
        }
        return false;
    }
}
