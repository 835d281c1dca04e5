package dev.unmask.diffusion.data;

/**
 * Counts of one split.
 *
 * @param documents documents in the split
 * @param tokens tokens of those documents, start and end tokens included
 * @param sequences rows of {@code seqLen} made from them
 * @param usedTokens non-padding positions of those rows; {@code tokens - usedTokens} were lost to
 *     the packing remainder, truncation or dropped documents
 * @param truncated documents cut to fit {@code seqLen} ({@link Packing#PAD})
 * @param dropped documents left out because their prompt leaves no room in {@code seqLen}
 *     ({@link Packing#PAD})
 */
public record SplitStats(int documents, long tokens, int sequences, long usedTokens, int truncated, int dropped) {}
