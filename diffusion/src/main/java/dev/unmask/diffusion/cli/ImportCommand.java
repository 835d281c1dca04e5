package dev.unmask.diffusion.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./unmask import FORMAT ...}: pretrained weights from other formats into HF folders. */
@Command(name = "import", mixinStandardHelpOptions = true, subcommands = {ImportOnnxCommand.class},
        description = "Import a pretrained encoder from another format into an HF folder.")
final class ImportCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
