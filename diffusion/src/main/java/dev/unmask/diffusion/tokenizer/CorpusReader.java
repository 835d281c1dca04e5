package dev.unmask.diffusion.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Streams the lines of a UTF-8 text file without holding the file in memory, decoding strictly:
 * a malformed byte sequence fails with the file, the line and the byte column. Lines end at
 * {@code \n} or {@code \r\n}; the terminator is not part of the line; a leading byte order mark is
 * dropped.
 */
public final class CorpusReader {
    private static final int CHUNK = 1 << 16;

    private CorpusReader() {}

    /** Gives each line of {@code file} to {@code sink}; returns the number of lines. */
    public static long forEachLine(Path file, Consumer<String> sink) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("corpus file " + file + " does not exist or is not a regular file");
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        LineBuffer line = new LineBuffer();
        long lines = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = in.read(chunk)) > 0) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        line.append(chunk, from, i - from);
                        sink.accept(line.decode(decoder, file, ++lines));
                        line.clear();
                        from = i + 1;
                    }
                }
                line.append(chunk, from, n - from);
            }
        }
        if (line.length > 0) {
            sink.accept(line.decode(decoder, file, ++lines));
        }
        return lines;
    }

    /** The bytes of the line being read. */
    private static final class LineBuffer {
        byte[] bytes = new byte[256];
        int length;

        void append(byte[] src, int from, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(src, from, bytes, length, count);
            length += count;
        }

        void clear() {
            length = 0;
        }

        String decode(CharsetDecoder decoder, Path file, long lineNumber) throws IOException {
            int start = 0;
            int end = length;
            if (end > start && bytes[end - 1] == '\r') {
                end--;
            }
            if (lineNumber == 1 && end - start >= 3 && (bytes[0] & 0xFF) == 0xEF
                    && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
                start = 3;
            }
            ByteBuffer in = ByteBuffer.wrap(bytes, start, end - start);
            try {
                return decoder.decode(in).toString();
            } catch (CharacterCodingException e) {
                int column = in.position() - start + 1;
                throw new IOException(file + ": line " + lineNumber + ": invalid UTF-8 at byte " + column
                        + " of the line (0x" + String.format("%02X", bytes[in.position()] & 0xFF)
                        + "); corpus files must be UTF-8", e);
            }
        }
    }
}
