package dev.unmask.diffusion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The engine's command-line front: {@code ./unmask parity | bench | tokenizer}. */
@Command(
        name = "unmask",
        mixinStandardHelpOptions = true,
        version = "unmask 0.1.0",
        description = "Text diffusion with masked language models.",
        subcommands = {TrainCommand.class, GenerateCommand.class, EvalCommand.class, ParityCommand.class,
            InspectCommand.class, TokenizerCommand.class, BenchCommand.class, ImportCommand.class,
            ModelsCommand.class})
public final class UnmaskCli implements Runnable {
    /** Exit code for input the command cannot use (missing files, bad config). */
    public static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new UnmaskCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(e));
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
