package dev.unmask.diffusion;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.checkpoint.SafetensorsWriter;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Headless encoder folders built from the fixtures, as {@code transformers} and
 * sentence-transformers save them: the fixture's encoder tensors without the masked-LM head, with
 * a pooler and the position-id buffer, config {@code architectures} {@code BertModel} /
 * {@code RobertaModel}.
 */
public final class HeadlessFolders {
    private HeadlessFolders() {}

    public enum Layout {
        /** {@code BertModel.save_pretrained}: {@code embeddings.*}, {@code encoder.*}, {@code pooler.*}. */
        BASE_MODEL,
        /** The same tensors under the family prefix ({@code bert.embeddings.*}). */
        PREFIXED,
        /** A sentence-transformers folder whose Transformer module is the folder itself. */
        SENTENCE_TRANSFORMERS_ROOT,
        /** An older sentence-transformers folder: the Transformer module in {@code 0_Transformer/}. */
        SENTENCE_TRANSFORMERS_SUBFOLDER
    }

    /** tiny-bert without its head, laid out as {@code layout}; returns the folder to name. */
    public static Path bert(Path dir, Layout layout) throws IOException {
        Path hf = layout == Layout.SENTENCE_TRANSFORMERS_SUBFOLDER ? dir.resolve("0_Transformer") : dir;
        write("tiny-bert", "bert", "BertModel", hf, layout != Layout.PREFIXED, true, null);
        if (layout == Layout.SENTENCE_TRANSFORMERS_ROOT || layout == Layout.SENTENCE_TRANSFORMERS_SUBFOLDER) {
            String path = layout == Layout.SENTENCE_TRANSFORMERS_ROOT ? "" : "0_Transformer";
            Files.writeString(dir.resolve("modules.json"), "[{\"idx\":0,\"name\":\"0\",\"path\":\"" + path
                    + "\",\"type\":\"sentence_transformers.models.Transformer\"},"
                    + "{\"idx\":1,\"name\":\"1\",\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                    + "{\"idx\":2,\"name\":\"2\",\"path\":\"2_Normalize\",\"type\":\"sentence_transformers.models.Normalize\"}]");
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.writeString(dir.resolve("1_Pooling/config.json"),
                    "{\"word_embedding_dimension\":64,\"pooling_mode_mean_tokens\":true}");
            Files.createDirectories(dir.resolve("2_Normalize"));
            Files.writeString(hf.resolve("sentence_bert_config.json"), "{\"max_seq_length\":64,\"do_lower_case\":false}");
        }
        return dir;
    }

    /** tiny-roberta as {@code RobertaModel.save_pretrained} writes it, tied or untied. */
    public static Path roberta(Path dir, boolean tied) throws IOException {
        write("tiny-roberta", "roberta", "RobertaModel", dir, true, tied, null);
        return dir;
    }

    /** tiny-bert with its head but without the one tensor {@code missing}. */
    public static Path bertMissing(Path dir, String missing) throws IOException {
        write("tiny-bert", "bert", "BertForMaskedLM", dir, false, true, missing);
        return dir;
    }

    /**
     * @param without null: drop the whole head and add a pooler (a base model); else keep the head
     *     and drop only this tensor
     */
    private static void write(String fixture, String family, String architecture, Path dir, boolean stripPrefix,
            boolean tied, String without) throws IOException {
        Path source = Fixtures.model(fixture);
        Files.createDirectories(dir);
        ObjectNode config = (ObjectNode) Json.read(source.resolve("config.json"));
        config.putArray("architectures").add(architecture);
        config.put("tie_word_embeddings", tied);
        Json.write(dir.resolve("config.json"), config);
        Files.copy(source.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.copy(source.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                SafetensorsReader reader = SafetensorsReader.open(source.resolve("model.safetensors"))) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (String name : reader.entries().keySet()) {
                boolean encoder = name.startsWith(family + ".");
                if (without == null ? !encoder : name.equals(without)) {
                    continue;
                }
                String saved = stripPrefix && encoder ? name.substring(family.length() + 1) : name;
                tensors.put(saved, reader.read(name, manager));
            }
            if (without == null) {
                String prefix = stripPrefix ? "" : family + ".";
                int hidden = config.get("hidden_size").asInt();
                int positions = config.get("max_position_embeddings").asInt();
                tensors.put(prefix + "pooler.dense.weight", manager.randomNormal(new Shape(hidden, hidden)));
                tensors.put(prefix + "pooler.dense.bias", manager.zeros(new Shape(hidden)));
                tensors.put(prefix + "embeddings.position_ids",
                        manager.arange(0, positions, 1, DataType.INT64).reshape(1, positions));
            }
            SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
        }
    }
}
