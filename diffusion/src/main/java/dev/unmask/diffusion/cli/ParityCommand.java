package dev.unmask.diffusion.cli;

import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.parity.ParityReport;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./unmask parity MODEL PARITY_FILE}: one JSON line; exit 1 when a tolerance is missed. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Compare a checkpoint with reference outputs from transformers.")
final class ParityCommand implements Callable<Integer> {
    @ParentCommand UnmaskCli cli;

    @Parameters(index = "0", paramLabel = "MODEL", description = "HF checkpoint folder or a Hub id org/name[@revision]")
    String model;

    @Parameters(index = "1", paramLabel = "PARITY_FILE", description = "parity.safetensors")
    Path parityFile;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        ParityReport report = new ParityChecker(ParityReport.Tolerances.FP32)
                .check(cli.modelFolder(model), parityFile, Devices.parse(device));
        System.out.println(Json.compact(report));
        return report.passed() ? 0 : 1;
    }
}
