package dev.unmask.diffusion.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * GPT-2's {@code bytes_to_unicode}: each of the 256 byte values as one printable character, so that
 * byte-level BPE works on strings with no whitespace or control characters. Printable Latin-1 bytes
 * ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) stand for themselves; the other 68 take the code points
 * from U+0100 on, in byte order (a space is {@code Ġ}, a newline {@code Ċ}).
 */
public final class ByteLevelAlphabet {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[256 + 256];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {}

    /** The character standing for byte {@code b} (0..255, or a signed Java byte). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** The byte a byte-level character stands for, or -1 when {@code c} is not one of the 256. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** Bytes to their byte-level string, one character per byte. */
    public static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /** A byte-level string back to its bytes; an error for a character outside the alphabet. */
    public static byte[] decode(String symbols) {
        byte[] bytes = new byte[symbols.length()];
        for (int i = 0; i < bytes.length; i++) {
            int b = byteOf(symbols.charAt(i));
            if (b < 0) {
                throw new IllegalArgumentException("'" + symbols.charAt(i) + "' (U+"
                        + String.format("%04X", (int) symbols.charAt(i)) + ") is not a byte-level character");
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    /**
     * The 256 one-character symbols in vocabulary order: sorted by code point, as the Hugging Face
     * trainer orders its initial alphabet ({@code !} first, then the rest of ASCII, Latin-1, U+0100...).
     */
    public static List<String> symbols() {
        char[] sorted = BYTE_TO_CHAR.clone();
        Arrays.sort(sorted);
        List<String> symbols = new ArrayList<>(256);
        for (char c : sorted) {
            symbols.add(String.valueOf(c));
        }
        return symbols;
    }
}
