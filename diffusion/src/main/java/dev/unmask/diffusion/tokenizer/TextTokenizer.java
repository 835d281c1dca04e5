package dev.unmask.diffusion.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's tokenizer: {@code tokenizer.json} run by DJL's {@link HuggingFaceTokenizer}
 * (the Rust {@code tokenizers} library), with special ids resolved from the checkpoint's
 * {@code tokenizer_config.json} / {@code special_tokens_map.json}. No truncation, no padding.
 */
public final class TextTokenizer implements AutoCloseable {
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";

    private final HuggingFaceTokenizer tokenizer;
    private final Path source;
    private final SpecialTokens specials;
    private final int vocabSize;
    private final ObjectNode tokenizerConfig;
    private final Map<Integer, String> specialContents;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Path source, SpecialTokens specials,
            int vocabSize, ObjectNode tokenizerConfig, Map<Integer, String> specialContents) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.specials = specials;
        this.vocabSize = vocabSize;
        this.tokenizerConfig = tokenizerConfig;
        this.specialContents = specialContents;
    }

    /** Loads the tokenizer of a checkpoint folder (or of a {@code tokenizer.json} file's folder). */
    public static TextTokenizer load(Path dirOrFile) throws IOException {
        Path dir = Files.isDirectory(dirOrFile) ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve(TOKENIZER_JSON) : dirOrFile;
        if (!Files.isRegularFile(file)) {
            throw new IOException(dirOrFile + " has no " + TOKENIZER_JSON
                    + " (Unmask reads fast tokenizers; save one with tokenizer.save_pretrained)");
        }
        JsonNode tokenizerJson = Json.read(file);
        Map<String, Integer> ids = tokenIds(tokenizerJson);
        ObjectNode config = readObject(dir.resolve(TOKENIZER_CONFIG));
        ObjectNode map = readObject(dir.resolve(SPECIAL_TOKENS_MAP));
        SpecialTokens specials = new SpecialTokens(
                resolve(ids, config, map, "pad_token", "<pad>", "[PAD]"),
                resolve(ids, config, map, "mask_token", "<mask>", "[MASK]"),
                resolve(ids, config, map, "bos_token", "<s>"),
                resolve(ids, config, map, "eos_token", "</s>"),
                resolve(ids, config, map, "cls_token", "<s>", "[CLS]"),
                resolve(ids, config, map, "sep_token", "</s>", "[SEP]"),
                resolve(ids, config, map, "unk_token", "<unk>", "[UNK]"));
        int vocab = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file, Map.of(
                "addSpecialTokens", "true",
                "truncation", "false",
                "padding", "false",
                "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
        Map<Integer, String> contents = new HashMap<>();
        ids.forEach((token, id) -> {
            if (specials.isSpecial(id)) {
                contents.put(id, token);
            }
        });
        return new TextTokenizer(hf, file, specials, vocab, config, contents);
    }

    public SpecialTokens specials() {
        return specials;
    }

    /** One more than the largest id the tokenizer can produce. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Token ids with the post-processor's special tokens ({@code <s> ... </s>}, {@code [CLS] ... [SEP]}). */
    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        return encoding.getIds();
    }

    /** Token ids of the text alone, no special tokens added. */
    public long[] encodePlain(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    /** Text of {@code ids}, special tokens removed. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /** The text of a special token ({@code <mask>}, {@code [MASK]}), or null when {@code id} is none. */
    public String specialToken(int id) {
        return specialContents.get(id);
    }

    /** Copies {@code tokenizer.json} and writes {@code tokenizer_config.json} into a checkpoint folder. */
    public void saveTo(Path dir) throws IOException {
        Path target = dir.resolve(TOKENIZER_JSON);
        if (!Files.exists(target) || !Files.isSameFile(source, target)) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Json.write(dir.resolve(TOKENIZER_CONFIG), tokenizerConfig.isEmpty() ? defaultConfig() : tokenizerConfig);
    }

    /** A {@code tokenizer_config.json} for a tokenizer that came without one. */
    private ObjectNode defaultConfig() {
        ObjectNode config = Json.MAPPER.createObjectNode();
        config.put("tokenizer_class", "PreTrainedTokenizerFast");
        putToken(config, "bos_token", specials.bosId());
        putToken(config, "eos_token", specials.eosId());
        putToken(config, "cls_token", specials.clsId());
        putToken(config, "sep_token", specials.sepId());
        putToken(config, "unk_token", specials.unkId());
        putToken(config, "pad_token", specials.padId());
        putToken(config, "mask_token", specials.maskId());
        return config;
    }

    private void putToken(ObjectNode config, String field, int id) {
        if (id >= 0 && specialContents.containsKey(id)) {
            config.put(field, specialContents.get(id));
        }
    }

    /** Every token string to id: the model's vocabulary, then added tokens. */
    private static Map<String, Integer> tokenIds(JsonNode tokenizerJson) {
        Map<String, Integer> ids = new HashMap<>();
        JsonNode vocab = tokenizerJson.path("model").path("vocab");
        if (vocab.isObject()) { // BPE, WordPiece, WordLevel
            vocab.fields().forEachRemaining(e -> ids.put(e.getKey(), e.getValue().asInt()));
        } else if (vocab.isArray()) { // Unigram: [[piece, score], ...]
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), i);
            }
        }
        for (JsonNode added : tokenizerJson.path("added_tokens")) {
            ids.put(added.path("content").asText(), added.path("id").asInt());
        }
        return ids;
    }

    /** A special token's id: named in the config files, else the first conventional spelling present. */
    private static int resolve(Map<String, Integer> ids, ObjectNode config, ObjectNode map, String field,
            String... conventional) {
        for (ObjectNode source : List.of(config, map)) {
            JsonNode node = source.get(field);
            if (node == null || node.isNull()) {
                continue;
            }
            String content = node.isTextual() ? node.asText() : node.path("content").asText(null);
            if (content != null && ids.containsKey(content)) {
                return ids.get(content);
            }
        }
        boolean configured = config.size() > 0 || map.size() > 0;
        if (configured && !field.equals("pad_token") && !field.equals("mask_token")
                && !field.equals("unk_token") && !config.has(field) && !map.has(field)) {
            return -1; // a config exists and does not name this token: the tokenizer has none
        }
        for (String token : conventional) {
            Integer id = ids.get(token);
            if (id != null) {
                return id;
            }
        }
        return -1;
    }

    private static ObjectNode readObject(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Json.MAPPER.createObjectNode();
        }
        JsonNode node = Json.read(file);
        return node.isObject() ? (ObjectNode) node : Json.MAPPER.createObjectNode();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
