package dev.unmask.diffusion.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.onnx.OnnxEncoderImport;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./unmask import onnx MODEL.onnx --tokenizer tokenizer.json --out DIR}: one JSON line. */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = "An ONNX export of a BERT encoder (or masked LM) as an HF BertForMaskedLM folder;"
                + " a fresh masked-LM head unless the export has one.")
final class ImportOnnxCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx") Path onnx;
    @Option(names = "--tokenizer", required = true, description = "the model's tokenizer.json") Path tokenizer;
    @Option(names = "--out", required = true, description = "the HF folder to write") Path out;
    @Option(names = "--seed", defaultValue = "0", description = "seeds the fresh head (default: ${DEFAULT-VALUE})") long seed;

    @Override
    public Integer call() throws Exception {
        System.out.println(Json.compact(describe(OnnxEncoderImport.run(onnx, tokenizer, out, seed))));
        return 0;
    }

    static ObjectNode describe(OnnxEncoderImport.Result r) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("folder", r.folder().toString());
        json.put("model_type", r.config().modelType().hfName());
        json.put("layers", r.config().numHiddenLayers());
        json.put("hidden_size", r.config().hiddenSize());
        json.put("heads", r.config().numAttentionHeads());
        json.put("vocab_size", r.config().vocabSize());
        json.put("parameters", r.parameters());
        r.initialised().forEach(json.putArray("initialised_fresh")::add);
        r.ignored().forEach(json.putArray("ignored")::add);
        return json;
    }
}
