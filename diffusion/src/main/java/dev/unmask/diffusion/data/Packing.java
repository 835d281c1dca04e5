package dev.unmask.diffusion.data;

/** How examples become fixed-length training rows. */
public enum Packing {
    /**
     * Concatenate every example's ids (start and end tokens included) and cut the stream into
     * blocks of exactly {@code seqLen}, dropping the remainder, like Hugging Face's
     * {@code group_texts}. Blocks have no padding and {@code promptLength} 0. Refused for
     * prompt/completion corpora, whose prompt boundaries it would lose.
     */
    PACK,
    /**
     * One example per row: truncated to {@code seqLen} (the end token kept as the last token),
     * then padded with the pad id, attention mask 0 on padding.
     */
    PAD
}
