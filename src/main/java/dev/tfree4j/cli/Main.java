package dev.tfree4j.cli;

/** Entry point of the tfree4j command line (subcommands come with the runtime). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("tfree4j (skeleton)");
    }
}
