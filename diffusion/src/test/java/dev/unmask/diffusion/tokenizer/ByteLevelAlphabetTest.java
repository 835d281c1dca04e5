package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelAlphabetTest {

    @Test
    void mapsEveryByteToADistinctCharacterAndBack() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevelAlphabet.charOf(b);
            assertEquals(b, ByteLevelAlphabet.byteOf(c));
            seen.add(c);
        }
        assertEquals(256, seen.size());
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        assertArrayEquals(all, ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(all)));
    }

    @Test
    void matchesGpt2BytesToUnicode() {
        assertEquals('Ġ', ByteLevelAlphabet.charOf(' '));
        assertEquals('Ċ', ByteLevelAlphabet.charOf('\n'));
        assertEquals('ĉ', ByteLevelAlphabet.charOf('\t'));
        assertEquals('Ā', ByteLevelAlphabet.charOf(0));
        assertEquals('a', ByteLevelAlphabet.charOf('a'));
        assertEquals('é', ByteLevelAlphabet.charOf(0xE9));
        assertEquals('Ń', ByteLevelAlphabet.charOf(0xAD)); // soft hyphen: the last shifted byte
        assertEquals("Ã©", ByteLevelAlphabet.encode("é".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(-1, ByteLevelAlphabet.byteOf('\u4e00'));
        assertThrows(IllegalArgumentException.class, () -> ByteLevelAlphabet.decode(" "));
    }

    @Test
    void symbolsAreSortedByCodePointLikeTheHuggingFaceTrainer() {
        List<String> symbols = ByteLevelAlphabet.symbols();
        assertEquals(256, symbols.size());
        assertEquals("!", symbols.get(0));
        assertEquals("~", symbols.get('~' - '!'));
        assertEquals("Ń", symbols.get(255));
        for (int i = 1; i < symbols.size(); i++) {
            assertEquals(-1, Integer.signum(symbols.get(i - 1).compareTo(symbols.get(i))));
        }
    }
}
