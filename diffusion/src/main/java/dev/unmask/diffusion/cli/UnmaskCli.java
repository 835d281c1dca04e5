package dev.unmask.diffusion.cli;

import dev.unmask.diffusion.hub.HubEnvironment;
import dev.unmask.diffusion.hub.HubException;
import dev.unmask.diffusion.hub.HubResolver;
import dev.unmask.diffusion.hub.ModelLocator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The engine's command-line front: {@code ./unmask parity | bench | tokenizer}. */
@Command(
        name = "unmask",
        mixinStandardHelpOptions = true,
        version = "unmask 0.1.0",
        description = "Text diffusion with masked language models.",
        subcommands = {TrainCommand.class, GenerateCommand.class, EvalCommand.class, CompareCommand.class, ParityCommand.class,
            InspectCommand.class, TokenizerCommand.class, BenchCommand.class, ImportCommand.class,
            ModelsCommand.class})
public final class UnmaskCli implements Runnable {
    /** Exit code for input the command cannot use (missing files, bad config). */
    public static final int EXIT_BAD_INPUT = 2;

    private final Map<String, String> env;

    private UnmaskCli(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs a command line with {@code env} as its environment ({@code HF_*} for Hub ids). */
    public static int run(Map<String, String> env, String... args) {
        CommandLine cli = commandLine(env);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + message(e));
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** The command tree, the described options of train and generate included ({@link ParamOptions}). */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new UnmaskCli(env));
        ParamOptions.install(cli);
        return cli;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /**
     * The folder of a model named on the command line: a local folder, or a Hub id
     * ({@code org/name[@revision]}) resolved into the HF cache, with download progress on stderr.
     */
    Path modelFolder(String name) throws HubException {
        HubResolver hub = new HubResolver(HubEnvironment.fromEnv(env));
        PrintStream err = System.err;
        return new ModelLocator(hub, Path.of("")).locate(name, p -> {
            if (!p.fromCache()) {
                err.printf(Locale.ROOT, "fetching %s: %s %.1f/%s MB%n", p.repo(), p.file(), p.bytesDone() / 1e6,
                        p.bytesTotal() < 0 ? "?" : String.format(Locale.ROOT, "%.1f", p.bytesTotal() / 1e6));
            }
        });
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
