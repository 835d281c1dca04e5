package dev.unmask.diffusion.tokenizer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to train: the vocabulary size (special tokens, the 256 byte symbols, and merges up to it),
 * the special tokens (ids 0.. in list order), the least pair frequency a merge needs, and the
 * {@code model_max_length} written to {@code tokenizer_config.json}.
 *
 * <p>The special tokens must include the five RoBERTa roles ({@code <s>} bos/cls, {@code <pad>},
 * {@code </s>} eos/sep, {@code <unk>}, {@code <mask>}); further ones become
 * {@code additional_special_tokens}.
 */
public record BpeTrainerConfig(int vocabSize, List<String> specialTokens, int minFrequency, int modelMaxLength) {
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
        for (String role : DEFAULT_SPECIALS) {
            if (!seen.contains(role)) {
                throw new IllegalArgumentException("the special tokens must include " + role
                        + " (RoBERTa roles " + DEFAULT_SPECIALS + "), got " + specialTokens);
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
        return new BpeTrainerConfig(vocabSize, DEFAULT_SPECIALS, DEFAULT_MIN_FREQUENCY, DEFAULT_MODEL_MAX_LENGTH);
    }

    public BpeTrainerConfig withSpecialTokens(List<String> tokens) {
        return new BpeTrainerConfig(vocabSize, tokens, minFrequency, modelMaxLength);
    }

    public BpeTrainerConfig withMinFrequency(int frequency) {
        return new BpeTrainerConfig(vocabSize, specialTokens, frequency, modelMaxLength);
    }

    public BpeTrainerConfig withModelMaxLength(int length) {
        return new BpeTrainerConfig(vocabSize, specialTokens, minFrequency, length);
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
