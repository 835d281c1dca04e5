package dev.unmask.diffusion.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.HiddenAct;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.parity.ParityReport;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tiny-bert exported the way {@code torch.onnx} names things ({@link SyntheticBertOnnx}) and imported
 * back: every tensor lands under its HF name, [out, in], bit for bit; a masked-LM export keeps its
 * head and then matches transformers' outputs (the fixture's parity file).
 */
class OnnxSyntheticImportTest {
    static final List<String> HEAD = List.of("cls.predictions.transform.dense.weight",
            "cls.predictions.transform.dense.bias", "cls.predictions.transform.LayerNorm.weight",
            "cls.predictions.transform.LayerNorm.bias", "cls.predictions.bias");

    @TempDir Path tmp;

    @Test
    void maskedLmExportImportsExactlyAndPassesParity() throws Exception {
        Path onnx = SyntheticBertOnnx.write(tmp.resolve("bert-mlm.onnx"), true);
        OnnxEncoderImport.Result r = OnnxEncoderImport.run(onnx, Fixtures.model("tiny-bert").resolve("tokenizer.json"),
                tmp.resolve("out"), 0);
        EncoderConfig c = r.config();
        assertEquals(List.of(1000, 64, 2, 4, 128, 64, 2), List.of(c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(),
                c.numAttentionHeads(), c.intermediateSize(), c.maxPositionEmbeddings(), c.typeVocabSize()));
        assertEquals(1e-12, c.layerNormEps(), 1e-18);
        assertEquals(HiddenAct.GELU, c.hiddenAct());
        assertEquals(List.of(), r.initialised(), "the export's own head is kept");
        assertEquals(List.of("bert.embeddings.position_ids"), r.ignored());
        assertParametersAsFixture(r.folder(), List.of());
        ParityReport report = new ParityChecker(ParityReport.Tolerances.FP32)
                .check(r.folder(), Fixtures.parityFile("tiny-bert"), Device.cpu());
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void encoderExportGetsAFreshHead() throws Exception {
        Path onnx = SyntheticBertOnnx.write(tmp.resolve("bert.onnx"), false);
        OnnxEncoderImport.Result r = OnnxEncoderImport.run(onnx, Fixtures.model("tiny-bert").resolve("tokenizer.json"),
                tmp.resolve("out"), 0);
        assertEquals(HEAD, r.initialised());
        assertParametersAsFixture(r.folder(), HEAD);
    }

    /** Every parameter of the imported folder equals the fixture's, bit for bit, but those in {@code fresh}. */
    private static void assertParametersAsFixture(Path folder, List<String> fresh) throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                MaskedLanguageModel imported = HfCheckpointReader.load(folder, manager, Device.cpu(), DataType.FLOAT32);
                SafetensorsReader fixture = SafetensorsReader.open(Fixtures.model("tiny-bert").resolve("model.safetensors"))) {
            assertEquals(fixture.entries().keySet(), imported.parameters().keySet());
            for (String name : fixture.entries().keySet()) {
                if (!fresh.contains(name)) {
                    NDArray expected = fixture.read(name, manager);
                    assertArrayEquals(expected.toFloatArray(), imported.parameters().get(name).toFloatArray(), name);
                }
            }
        }
    }
}
