package dev.unmask.diffusion.tokenizer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to train: the vocabulary size (special tokens, the 256 byte symbols, and merges up to it),
 * the special tokens (ids 0.. in list order), the least pair frequency a merge needs, the
 * {@code model_max_length} written to {@code tokenizer_config.json}, and the layout of the files.
 *
 * <p>In the {@link Layout#ROBERTA} layout the special tokens must include the five RoBERTa roles
 * ({@code <s>} bos/cls, {@code <pad>}, {@code </s>} eos/sep, {@code <unk>}, {@code <mask>}); in
 * the {@link Layout#GPT2} layout, {@code <|endoftext|>} (bos, eos and unk at once). Further ones
 * become {@code additional_special_tokens}.
 */
public record BpeTrainerConfig(int vocabSize, List<String> specialTokens, int minFrequency, int modelMaxLength,
        Layout layout) {
    /** How the tokenizer files are laid out, and which special tokens they need. */
    public enum Layout {
        /** RoBERTa's: {@code <s> ... </s>} around every text, a mask token for diffusion. */
        ROBERTA,
        /** GPT-2's: nothing added around a text, one {@code <|endoftext|>} token, no mask and no padding. */
        GPT2
    }

    /** GPT-2's one special token. */
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String BOS = "<s>";
    public static final String PAD = "<pad>";
    public static final String EOS = "</s>";
    public static final String UNK = "<unk>";
    public static final String MASK = "<mask>";
    /** RoBERTa's special tokens, as ids 0-4. */
    public static final List<String> DEFAULT_SPECIALS = List.of(BOS, PAD, EOS, UNK, MASK);
    public static final int DEFAULT_MIN_FREQUENCY = 2;
    public static final int DEFAULT_MODEL_MAX_LENGTH = 512;
    /** The byte symbols every byte-level vocabulary holds. */
    public static final int BYTE_SYMBOLS = 256;

    public BpeTrainerConfig {
        if (specialTokens == null) {
            throw new IllegalArgumentException("specialTokens must not be null");
        }
        Set<String> seen = new HashSet<>();
        for (String token : specialTokens) {
            if (token == null || token.isEmpty()) {
                throw new IllegalArgumentException("a special token must not be null or empty: " + specialTokens);
            }
            if (!seen.add(token)) {
                throw new IllegalArgumentException("special token " + token + " is listed twice: " + specialTokens);
            }
        }
        specialTokens = List.copyOf(specialTokens);
        if (layout == null) {
            throw new IllegalArgumentException("layout must not be null");
        }
        List<String> roles = layout == Layout.GPT2 ? List.of(END_OF_TEXT) : DEFAULT_SPECIALS;
        for (String role : roles) {
            if (!seen.contains(role)) {
                throw new IllegalArgumentException("the special tokens must include " + role
                        + " (" + (layout == Layout.GPT2 ? "GPT-2" : "RoBERTa") + " roles " + roles + "), got "
                        + specialTokens);
            }
        }
        int base = specialTokens.size() + BYTE_SYMBOLS;
        if (vocabSize < base) {
            throw new IllegalArgumentException("vocabSize " + vocabSize + " is smaller than the " + base
                    + " tokens every byte-level vocabulary holds (" + specialTokens.size()
                    + " special tokens + " + BYTE_SYMBOLS + " byte symbols)");
        }
        if (minFrequency < 1) {
            throw new IllegalArgumentException("minFrequency must be at least 1, got " + minFrequency);
        }
        if (modelMaxLength < 1) {
            throw new IllegalArgumentException("modelMaxLength must be at least 1, got " + modelMaxLength);
        }
    }

    /** RoBERTa's specials, min frequency 2, model_max_length 512. */
    public static BpeTrainerConfig of(int vocabSize) {
        return new BpeTrainerConfig(vocabSize, DEFAULT_SPECIALS, DEFAULT_MIN_FREQUENCY, DEFAULT_MODEL_MAX_LENGTH,
                Layout.ROBERTA);
    }

    /** GPT-2's layout and its one special token {@code <|endoftext|>} (id 0), min frequency 2, model_max_length 512. */
    public static BpeTrainerConfig gpt2(int vocabSize) {
        return new BpeTrainerConfig(vocabSize, List.of(END_OF_TEXT), DEFAULT_MIN_FREQUENCY, DEFAULT_MODEL_MAX_LENGTH,
                Layout.GPT2);
    }

    public BpeTrainerConfig withSpecialTokens(List<String> tokens) {
        return new BpeTrainerConfig(vocabSize, tokens, minFrequency, modelMaxLength, layout);
    }

    public BpeTrainerConfig withMinFrequency(int frequency) {
        return new BpeTrainerConfig(vocabSize, specialTokens, frequency, modelMaxLength, layout);
    }

    public BpeTrainerConfig withModelMaxLength(int length) {
        return new BpeTrainerConfig(vocabSize, specialTokens, minFrequency, length, layout);
    }

    /** The id of a special token. */
    public int idOf(String special) {
        int id = specialTokens.indexOf(special);
        if (id < 0) {
            throw new IllegalArgumentException(special + " is not one of the special tokens " + specialTokens);
        }
        return id;
    }

    /** The merges wanted: vocabSize less the specials and byte symbols. */
    public int mergesWanted() {
        return vocabSize - specialTokens.size() - BYTE_SYMBOLS;
    }
}
