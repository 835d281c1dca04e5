package dev.unmask.diffusion.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.ParameterLayout;
import dev.unmask.diffusion.parity.ParityReport.Tolerances;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The encoder against outputs computed by transformers for the same checkpoints. */
class HfParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-roberta", "tiny-bert"})
    void matchesTransformers(String model) throws Exception {
        Path dir = Fixtures.model(model);
        ParityReport report = new ParityChecker(Tolerances.FP32).check(dir, Fixtures.parityFile(model), Device.cpu());

        assertTrue(report.maxAbsLogitDiff() <= 1e-4, "logits: " + report.maxAbsLogitDiff());
        assertTrue(report.maxAbsHiddenDiff() <= 1e-4, "hidden: " + report.maxAbsHiddenDiff());
        assertTrue(report.lossRelDiff() <= 1e-5, "loss: " + report.lossRelDiff());
        assertTrue(report.maxGradNormRelDiff() <= 1e-3,
                "grad norm: " + report.maxGradNormRelDiff() + " at " + report.worstGradParam());
        String family = model.substring("tiny-".length());
        assertEquals(Fixtures.meta(family).get("loss").asDouble(), report.loss(), 1e-5);
        long gradKeys = report.checked().stream().filter(k -> k.startsWith("grad_norm.")).count();
        int params = ParameterLayout.of(HfCheckpointReader.readConfig(dir)).names().size();
        assertEquals(params, gradKeys, "every parameter's gradient norm is compared");
        assertTrue(report.checked().contains("decode_confidence_0p5"), "greedy confidence decoding reproduced");
        assertTrue(report.checked().contains("decode_topk_6steps"), "greedy top-k decoding reproduced");
        assertTrue(report.notChecked().isEmpty(), () -> "unchecked keys: " + report.notChecked());
        assertTrue(report.passed(), () -> "failures: " + report.failures());
    }
}
