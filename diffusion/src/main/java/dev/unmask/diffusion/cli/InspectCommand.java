package dev.unmask.diffusion.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.LoadedCheckpoint;
import dev.unmask.diffusion.checkpoint.SentenceTransformersLayout;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.Gpt2Config;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./unmask inspect MODEL} (a folder or a Hub id): loads a checkpoint and prints what it is, as one JSON line;
 * for a headless encoder, the tensors training would initialise fresh. Encoders and GPT-2 alike.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Load an HF checkpoint folder and describe it (shape, parameters, tokenizer, load time).")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand UnmaskCli cli;

    @Parameters(index = "0", paramLabel = "MODEL", description = "an HF folder or a Hub id org/name[@revision]")
    String model;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--dtype", defaultValue = "float32", description = "float32 or float16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Override
    public Integer call() throws Exception {
        DataType type = dev.unmask.diffusion.model.DataTypes.parse(dtype);
        Path dir = cli.modelFolder(model);
        long start = System.nanoTime();
        ObjectNode out = Json.MAPPER.createObjectNode();
        Path hfDir = SentenceTransformersLayout.transformerDir(dir);
        if (HfCheckpointReader.family(dir) == ModelFamily.CAUSAL_LM) {
            describeGpt2(dir, type, start, out);
        } else {
            describeEncoder(dir, hfDir, type, start, out);
        }
        if (Files.exists(hfDir.resolve(TextTokenizer.TOKENIZER_JSON))) {
            try (TextTokenizer tokenizer = TextTokenizer.load(hfDir)) {
                ObjectNode t = out.putObject("tokenizer");
                t.put("vocab_size", tokenizer.vocabSize());
                t.putPOJO("special_ids", tokenizer.specials());
            }
        }
        System.out.println(Json.compact(out));
        return 0;
    }

    private void describeGpt2(Path dir, DataType type, long start, ObjectNode out) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                Gpt2Model model = Gpt2CheckpointReader.load(dir, manager, Devices.parse(device), type)) {
            double seconds = (System.nanoTime() - start) / 1e9;
            Gpt2Config c = model.config();
            out.put("model", dir.toString());
            out.put("model_type", Gpt2Config.MODEL_TYPE);
            out.put("parameters", model.parameterCount());
            out.put("layers", c.numLayers());
            out.put("hidden_size", c.embedSize());
            out.put("heads", c.numHeads());
            out.put("vocab_size", c.vocabSize());
            out.put("max_sequence_length", c.maxPositions());
            out.put("tied_decoder", c.tieWordEmbeddings());
            out.put("dtype", model.dataType().toString().toLowerCase(java.util.Locale.ROOT));
            out.put("device", model.device().toString());
            out.put("weight_files", HfCheckpointReader.weightFiles(dir).size());
            out.put("load_seconds", seconds);
            memory(out);
        }
    }

    private static void memory(ObjectNode out) {
        Runtime rt = Runtime.getRuntime();
        out.put("java_heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20);
        out.put("process_rss_mb", dev.unmask.diffusion.bench.Memory.residentMegabytes());
    }

    private void describeEncoder(Path dir, Path hfDir, DataType type, long start, ObjectNode out) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                LoadedCheckpoint loaded = HfCheckpointReader.loadForTraining(dir, manager, Devices.parse(device),
                        type, 0)) {
            MaskedLanguageModel model = loaded.model();
            double seconds = (System.nanoTime() - start) / 1e9;
            EncoderConfig c = model.config();
            out.put("model", dir.toString());
            if (!hfDir.equals(dir)) {
                out.put("transformer_dir", hfDir.toString());
            }
            out.put("headless", loaded.headless());
            ArrayNode fresh = out.putArray("initialised_fresh"); // what training would start from scratch
            loaded.initialised().forEach(fresh::add);
            out.put("model_type", c.modelType().hfName());
            out.put("parameters", model.layout().parameterCount());
            out.put("layers", c.numHiddenLayers());
            out.put("hidden_size", c.hiddenSize());
            out.put("heads", c.numAttentionHeads());
            out.put("vocab_size", c.vocabSize());
            out.put("max_sequence_length", c.maxSequenceLength());
            out.put("tied_decoder", c.tieWordEmbeddings());
            out.put("dtype", model.dataType().toString().toLowerCase(java.util.Locale.ROOT));
            out.put("device", model.device().toString());
            out.put("weight_files", HfCheckpointReader.weightFiles(hfDir).size());
            out.put("load_seconds", seconds);
            memory(out);
        }
    }
}
