package dev.unmask.diffusion.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.model.Gpt2Layout;
import dev.unmask.diffusion.parity.ParityReport.Tolerances;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** GPT-2 against the outputs the reference equations give for the tiny-gpt2 fixture. */
class Gpt2ParityTest {

    @Test
    void matchesTheReference() throws Exception {
        Path dir = Fixtures.gpt2("tiny-gpt2");
        ParityReport report = new ParityChecker(Tolerances.FP32).check(dir, dir.resolve("parity.safetensors"), Device.cpu());
        System.out.println("gpt2 parity: logits " + report.maxAbsLogitDiff() + ", hidden " + report.maxAbsHiddenDiff()
                + ", loss rel " + report.lossRelDiff() + ", grad norm rel " + report.maxGradNormRelDiff()
                + " (" + report.worstGradParam() + ")");

        assertTrue(report.maxAbsLogitDiff() <= 1e-4, "logits: " + report.maxAbsLogitDiff());
        assertTrue(report.maxAbsHiddenDiff() <= 1e-4, "hidden: " + report.maxAbsHiddenDiff());
        assertTrue(report.lossRelDiff() <= 1e-5, "loss: " + report.lossRelDiff());
        assertTrue(report.maxGradNormRelDiff() <= 1e-3,
                "grad norm: " + report.maxGradNormRelDiff() + " at " + report.worstGradParam());
        long gradKeys = report.checked().stream().filter(k -> k.startsWith("grad_norm.")).count();
        int params = Gpt2Layout.of(Gpt2CheckpointReader.readConfig(dir)).specs().size();
        assertEquals(params, gradKeys, "every parameter's gradient norm is compared");
        assertTrue(report.checked().contains("greedy_16"), "greedy continuation reproduced with the KV cache");
        assertTrue(report.notChecked().isEmpty(), () -> "unchecked keys: " + report.notChecked());
        assertTrue(report.passed(), () -> "failures: " + report.failures());
    }
}
