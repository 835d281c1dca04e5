package dev.unmask.diffusion.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.cli.CliRun;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.parity.ParityChecker;
import dev.unmask.diffusion.parity.ParityReport;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An untied RoBERTa as {@code transformers} 5.x saves it: the head's one output bias under both
 * {@code lm_head.bias} and {@code lm_head.decoder.bias}. Built from the tiny-roberta fixture with
 * the decoder untied but equal to the word embeddings, so transformers' logits, loss and output-bias
 * gradient still hold; its parity file names the bias's gradient under both names too.
 */
class DecoderBiasAliasTest {
    static final String BIAS = "lm_head.bias";
    static final String ALIAS = "lm_head.decoder.bias";
    static final String WORD = "roberta.embeddings.word_embeddings.weight";

    @TempDir Path tmp;
    NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void parityChecksTheAliasGradientAsTheBias() throws Exception {
        Path model = untiedCheckpoint(0f);
        Path parity = parityWithAlias();
        CliRun run = CliRun.of("parity", model.toString(), parity.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        JsonNode report = run.json();
        assertTrue(report.get("passed").asBoolean(), run.out());
        boolean checked = false;
        for (JsonNode key : report.get("checked")) {
            checked |= key.asText().equals("grad_norm." + ALIAS);
        }
        assertTrue(checked, "grad_norm." + ALIAS + " is checked: " + run.out());
    }

    @Test
    void writtenBackUnderBothNamesAsOneTensor() throws Exception {
        Path source = untiedCheckpoint(0f);
        Path out = tmp.resolve("written");
        try (MaskedLanguageModel model = HfCheckpointReader.load(source, manager, Device.cpu(), DataType.FLOAT32);
                TextTokenizer tokenizer = TextTokenizer.load(source)) {
            assertTrue(model.parameters().containsKey(BIAS));
            assertFalse(model.parameters().containsKey(ALIAS), "one parameter, not two");
            HfCheckpointWriter.save(model, tokenizer, out);
        }
        try (SafetensorsReader written = SafetensorsReader.open(out.resolve(HfCheckpointReader.WEIGHTS));
                SafetensorsReader original = SafetensorsReader.open(source.resolve(HfCheckpointReader.WEIGHTS))) {
            assertEquals(original.entries().keySet(), written.entries().keySet());
            assertArrayEquals(written.read(BIAS, manager).toByteArray(), written.read(ALIAS, manager).toByteArray());
        }
        ParityReport report = new ParityChecker(ParityReport.Tolerances.FP32)
                .check(out, parityWithAlias(), Device.cpu());
        assertTrue(report.passed(), () -> report.failures().toString());
    }

    @Test
    void anAliasThatDiffersIsRefusedByName() throws Exception {
        Path model = untiedCheckpoint(0.5f);
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> HfCheckpointReader.load(model, manager, Device.cpu(), DataType.FLOAT32).close());
        assertTrue(e.getMessage().contains(BIAS + " and " + ALIAS + " differ"), e.getMessage());
    }

    /** tiny-roberta untied: decoder weight = word embeddings, decoder bias = lm_head.bias + {@code shift}. */
    private Path untiedCheckpoint(float shift) throws Exception {
        Path source = Fixtures.model("tiny-roberta");
        Path dir = tmp.resolve("untied-" + shift);
        Files.createDirectories(dir);
        ObjectNode config = (ObjectNode) Json.read(source.resolve(HfCheckpointReader.CONFIG));
        config.put("tie_word_embeddings", false);
        Json.write(dir.resolve(HfCheckpointReader.CONFIG), config);
        for (String file : new String[] {TextTokenizer.TOKENIZER_JSON, TextTokenizer.TOKENIZER_CONFIG}) {
            Files.copy(source.resolve(file), dir.resolve(file));
        }
        Map<String, NDArray> tensors = readAll(source.resolve(HfCheckpointReader.WEIGHTS));
        tensors.put("lm_head.decoder.weight", tensors.get(WORD));
        tensors.put(ALIAS, tensors.get(BIAS).add(shift));
        SafetensorsWriter.write(dir.resolve(HfCheckpointReader.WEIGHTS), tensors, Map.of("format", "pt"));
        return dir;
    }

    /**
     * The fixture's parity file with {@code grad_norm.lm_head.decoder.bias} beside
     * {@code grad_norm.lm_head.bias} (the same tensor's gradient), and without the word embeddings'
     * norm, which untying changes.
     */
    private Path parityWithAlias() throws Exception {
        Map<String, NDArray> ref = readAll(Fixtures.parityFile("tiny-roberta"));
        ref.remove("grad_norm." + WORD);
        ref.put("grad_norm." + ALIAS, ref.get("grad_norm." + BIAS));
        Path file = tmp.resolve("parity-alias.safetensors");
        SafetensorsWriter.write(file, ref, Map.of());
        return file;
    }

    private Map<String, NDArray> readAll(Path file) throws Exception {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            for (String name : reader.entries().keySet()) {
                tensors.put(name, reader.read(name, manager));
            }
        }
        return tensors;
    }
}
