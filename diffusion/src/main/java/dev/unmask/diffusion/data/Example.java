package dev.unmask.diffusion.data;

import java.util.Arrays;

/**
 * One tokenized document: {@code [start] prompt tokens, text tokens [end]}.
 *
 * @param ids the token ids, start and end tokens included
 * @param promptLength the number of leading positions that must never be masked: the start token
 *     plus the prompt's tokens, so 1 for a document without prompt (or with an empty one)
 */
public record Example(long[] ids, int promptLength) {

    public Example {
        if (ids == null || ids.length < 2) {
            throw new IllegalArgumentException("an example holds at least the start and end tokens");
        }
        if (promptLength < 0 || promptLength > ids.length) {
            throw new IllegalArgumentException(
                    "promptLength " + promptLength + " outside [0, " + ids.length + "]");
        }
    }

    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && promptLength == e.promptLength && Arrays.equals(ids, e.ids);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + promptLength;
    }

    @Override
    public String toString() {
        return "Example[ids=" + Arrays.toString(ids) + ", promptLength=" + promptLength + "]";
    }
}
