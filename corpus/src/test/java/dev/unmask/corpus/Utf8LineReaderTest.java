package dev.unmask.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Utf8LineReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsLinesWithoutTerminatorsOrBom() throws IOException {
        Path file = dir.resolve("a.txt");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(bom);
        bytes.write("first café\r\nsecond\n\n  last without newline".getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        List<String> lines = new ArrayList<>();
        long n = Utf8LineReader.forEachLine(file, lines::add);
        assertEquals(4, n);
        assertEquals(List.of("first café", "second", "", "  last without newline"), lines);
    }

    @Test
    void invalidUtf8NamesFileAndLineEvenPastTheFirstChunk() throws IOException {
        Path file = dir.resolve("broken corpus.txt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 1; i < 5000; i++) {
            bytes.write(("line " + i + " with some text to pass the read buffer\n").getBytes(StandardCharsets.UTF_8));
        }
        bytes.write("bad ".getBytes(StandardCharsets.UTF_8));
        bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28});
        bytes.write(" here\nafter\n".getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        List<String> lines = new ArrayList<>();
        IOException e = assertThrows(IOException.class, () -> Utf8LineReader.forEachLine(file, lines::add));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(file + ":5000:"), e.getMessage()); // file:line: reason
        assertTrue(e.getMessage().contains("byte 5"), e.getMessage());
        assertEquals(4999, lines.size());
    }

    @Test
    void missingFileFailsClearly() {
        Path missing = dir.resolve("nope.txt");
        IOException e = assertThrows(IOException.class, () -> Utf8LineReader.forEachLine(missing, s -> { }));
        assertTrue(e.getMessage().contains("nope.txt"), e.getMessage());
    }
}
