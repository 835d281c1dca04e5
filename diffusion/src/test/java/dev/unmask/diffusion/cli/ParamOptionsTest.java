package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.train.LrSchedule;
import dev.unmask.diffusion.train.Precision;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.jobspec.TrainParams;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ./unmask train} and {@code ./unmask generate} against the parameter description: one
 * option per described parameter, its help naming the described doc, range and default, its
 * default the described one, a value outside the range refused naming the option, and the
 * engine's configs built from the defaults equal to what the description says.
 */
class ParamOptionsTest {

    @Test
    void theHelpShowsEveryDescribedOptionWithItsDocRangeAndDefault() {
        for (String command : new String[] {"train", "generate"}) {
            CliRun help = CliRun.of(command, "--help");
            assertEquals(0, help.exit(), help.err());
            String text = help.out().replaceAll("\\s+", " ");
            ParamSet set = command.equals("train") ? TrainParams.SET : GenerateParams.SET;
            int options = 0;
            for (Param p : set.params()) {
                if (p.cli() == null) {
                    continue;
                }
                String line = p.cli() + "=" + ParamOptions.label(p) + " " + ParamOptions.help(p);
                assertTrue(text.contains(line), command + " --help lacks '" + line + "':\n" + help.out());
                assertTrue(ParamOptions.help(p).contains("(default: " + p.defaultText() + ")"));
                options++;
            }
            assertTrue(options >= 10, command + ": " + options);
        }
        assertTrue(CliRun.of("train", "--help").out().replaceAll("\\s+", " ")
                .contains("--batch-size=N sequences per micro-batch; [1, 4096] (default: 16)"));
    }

    @Test
    void theOptionsDefaultsAreTheDescribedDefaults(@TempDir Path dir) {
        CommandLine cli = UnmaskCli.commandLine(Map.of());
        cli.parseArgs("train", "--model", "preset:tiny", "--corpus", "c.txt", "--out", dir.toString());
        assertEquals(TrainParams.SET.defaults(), ParamOptions.read(spec(cli, "train"), TrainParams.SET));

        cli = UnmaskCli.commandLine(Map.of());
        cli.parseArgs("generate", "m", "--prompt", "p");
        ParamValues generate = ParamOptions.read(spec(cli, "generate"), GenerateParams.SET);
        assertNotNull(generate.get(GenerateParams.SEED), "a seed is drawn");
        assertEquals(GenerateParams.SET.defaults().with(GenerateParams.SEED, generate.get(GenerateParams.SEED)),
                generate);
    }

    @Test
    void givenOptionsAreReadAndTheDerivedWarmupFollowsSteps(@TempDir Path dir) {
        CommandLine cli = UnmaskCli.commandLine(Map.of());
        cli.parseArgs("train", "--model", "preset:tiny", "--corpus", "c.txt", "--out", dir.toString(),
                "--steps", "400", "--noise", "continuous", "--eps", "0.01", "--lr-decay", "cosine");
        ParamValues v = ParamOptions.read(spec(cli, "train"), TrainParams.SET);
        assertEquals(400L, v.get(TrainParams.STEPS));
        assertEquals(20L, v.get(TrainParams.WARMUP_STEPS));
        assertEquals(0.01, v.get(TrainParams.NOISE_EPS));
        assertEquals("cosine", v.get(TrainParams.LR_DECAY));
    }

    @Test
    void aValueOutsideTheDescribedRangeIsRefusedNamingTheOption(@TempDir Path dir) {
        CliRun run = CliRun.of("train", "--model", "preset:tiny", "--corpus", "c.txt", "--out", dir.toString(),
                "--batch-size", "4097", "--steps", "10", "--warmup-steps", "11");
        assertEquals(UnmaskCli.EXIT_BAD_INPUT, run.exit(), run.err());
        assertTrue(run.err().contains("--batch-size must be in [1, 4096], got 4097"), run.err());
        assertTrue(run.err().contains("--warmup-steps must be in [0, 10], got 11"), run.err());
        CliRun generate = CliRun.of("generate", "m", "--prompt", "p", "-n", "65");
        assertEquals(UnmaskCli.EXIT_BAD_INPUT, generate.exit(), generate.err());
        assertTrue(generate.err().contains("-n must be in [1, 64], got 65"), generate.err());
    }

    @Test
    void theEngineConfigsBuiltFromTheDefaultsAreTheDescribedOnes() {
        ParamValues d = TrainParams.SET.defaults();
        TrainConfig c = TrainConfig.from(d, false);
        assertEquals(new TrainConfig(1000, 16, 1, 5e-4, 50, LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9, 0.999, 1e-8, 100,
                0, false, c.noise(), 0, Precision.FP32), c);
        assertEquals(10, ((DiscreteLevels) c.noise()).levels());
        assertEquals(d.getInt(TrainParams.STEPS), c.steps());
        assertEquals(d.getInt(TrainParams.CHECKPOINT_EVERY), c.checkpointEvery());
        assertEquals(new GenerationConfig(Strategy.REFINE, 10, 1.0, 50, 0.95, 0.9, 0, true), GenerationConfig.defaults());
        assertEquals(GenerationConfig.from(GenerateParams.SET.defaults()), GenerationConfig.defaults());
    }

    private static CommandSpec spec(CommandLine cli, String command) {
        return cli.getSubcommands().get(command).getCommandSpec();
    }
}
