package dev.unmask.diffusion.tokenizer;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a trained byte-level BPE as a Hugging Face fast tokenizer, laid out like RoBERTa's:
 * {@code tokenizer.json} (special tokens as added tokens, ByteLevel pre-tokenizer without a prefix
 * space, RobertaProcessing {@code <s> ... </s>}, ByteLevel decoder, BPE model with merges as
 * {@code [left, right]} pairs) and {@code tokenizer_config.json} naming the special tokens. Or
 * like GPT-2's ({@link BpeTrainerConfig.Layout#GPT2}): the same, but a ByteLevel post-processor
 * that adds nothing, and {@code <|endoftext|>} as bos, eos and unk.
 */
public final class TokenizerJsonWriter {
    /**
     * The layout {@code tokenizers} saves with (serde_json's pretty printer): two-space indents,
     * every array and object element on its own line, {@code "key": value}.
     */
    public static final ObjectWriter HF_LAYOUT = Json.MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator("")));

    private TokenizerJsonWriter() {}

    /** Writes both files into {@code dir}, creating it if needed; each file is replaced atomically. */
    public static void write(TrainedTokenizer tokenizer, Path dir) throws IOException {
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(TextTokenizer.TOKENIZER_JSON), tokenizerJson(tokenizer));
        Json.write(dir.resolve(TextTokenizer.TOKENIZER_CONFIG), tokenizerConfig(tokenizer.config()));
    }

    private static void writeAtomically(Path file, ObjectNode value) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        HF_LAYOUT.writeValue(tmp.toFile(), value);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The {@code tokenizer.json} document. */
    public static ObjectNode tokenizerJson(TrainedTokenizer tokenizer) {
        BpeTrainerConfig config = tokenizer.config();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        List<String> specials = config.specialTokens();
        for (int id = 0; id < specials.size(); id++) {
            String content = specials.get(id);
            added.addObject()
                    .put("id", id)
                    .put("content", content)
                    .put("single_word", false)
                    .put("lstrip", content.equals(BpeTrainerConfig.MASK)) // RoBERTa: "a <mask>" masks the word with its space
                    .put("rstrip", false)
                    .put("normalized", false)
                    .put("special", true);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer")
                .put("type", "ByteLevel")
                .put("add_prefix_space", false)
                .put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode post = root.putObject("post_processor");
        if (config.layout() == BpeTrainerConfig.Layout.GPT2) {
            post.put("type", "ByteLevel")
                    .put("add_prefix_space", false)
                    .put("trim_offsets", true)
                    .put("use_regex", true);
        } else {
            post.put("type", "RobertaProcessing");
            post.putArray("sep").add(BpeTrainerConfig.EOS).add(config.idOf(BpeTrainerConfig.EOS));
            post.putArray("cls").add(BpeTrainerConfig.BOS).add(config.idOf(BpeTrainerConfig.BOS));
            post.put("trim_offsets", true);
            post.put("add_prefix_space", false);
        }
        root.putObject("decoder")
                .put("type", "ByteLevel")
                .put("add_prefix_space", true)
                .put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        List<String> tokens = tokenizer.vocab();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.put(tokens.get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (TrainedTokenizer.Merge merge : tokenizer.merges()) {
            merges.addArray().add(merge.left()).add(merge.right());
        }
        return root;
    }

    /** The {@code tokenizer_config.json} document. */
    public static ObjectNode tokenizerConfig(BpeTrainerConfig config) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("tokenizer_class", "PreTrainedTokenizerFast");
        List<String> roles;
        if (config.layout() == BpeTrainerConfig.Layout.GPT2) {
            root.put("bos_token", BpeTrainerConfig.END_OF_TEXT);
            root.put("eos_token", BpeTrainerConfig.END_OF_TEXT);
            root.put("unk_token", BpeTrainerConfig.END_OF_TEXT);
            roles = List.of(BpeTrainerConfig.END_OF_TEXT);
        } else {
            root.put("bos_token", BpeTrainerConfig.BOS);
            root.put("eos_token", BpeTrainerConfig.EOS);
            root.put("cls_token", BpeTrainerConfig.BOS);
            root.put("sep_token", BpeTrainerConfig.EOS);
            root.put("unk_token", BpeTrainerConfig.UNK);
            root.put("pad_token", BpeTrainerConfig.PAD);
            root.put("mask_token", BpeTrainerConfig.MASK);
            roles = BpeTrainerConfig.DEFAULT_SPECIALS;
        }
        List<String> extra = config.specialTokens().stream()
                .filter(t -> !roles.contains(t))
                .toList();
        if (!extra.isEmpty()) {
            ArrayNode additional = root.putArray("additional_special_tokens");
            extra.forEach(additional::add);
        }
        root.put("add_prefix_space", false);
        root.put("clean_up_tokenization_spaces", false);
        root.put("model_max_length", config.modelMaxLength());
        return root;
    }
}
