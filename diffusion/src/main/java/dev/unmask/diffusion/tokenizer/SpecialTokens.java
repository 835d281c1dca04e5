package dev.unmask.diffusion.tokenizer;

/**
 * The special token ids of a tokenizer; -1 where the tokenizer has none. RoBERTa-style
 * tokenizers use one token as bos and cls ({@code <s>}) and one as eos and sep ({@code </s>});
 * BERT-style ones have cls/sep and no bos/eos.
 */
public record SpecialTokens(int padId, int maskId, int bosId, int eosId, int clsId, int sepId, int unkId) {

    /** The token that opens a sequence: cls, else bos. */
    public int startId() {
        return clsId >= 0 ? clsId : bosId;
    }

    /** The token that closes a sequence: sep, else eos. */
    public int endId() {
        return sepId >= 0 ? sepId : eosId;
    }

    /** Whether {@code id} is one of these special tokens (never masked, never a target). */
    public boolean isSpecial(long id) {
        return id >= 0 && (id == padId || id == maskId || id == bosId || id == eosId
                || id == clsId || id == sepId || id == unkId);
    }

    /** The mask id, or an error naming the tokenizer when it has none. */
    public int requireMask() {
        if (maskId < 0) {
            throw new IllegalStateException("the tokenizer has no mask token; diffusion needs one");
        }
        return maskId;
    }
}
