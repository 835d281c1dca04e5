package dev.unmask.gateway.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of bytes ({@code \n}, {@code \r\n}) from a stream and decodes each as strict UTF-8,
 * one line in memory at a time. A byte-order mark at the start is skipped.
 */
final class Utf8Lines {
    /** A line that is not valid UTF-8 or is longer than the limit. */
    static final class BadLine extends Exception {
        final String code;

        BadLine(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long number;
    private boolean eof;

    Utf8Lines(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The 1-based number of the line last read. */
    long number() {
        return number;
    }

    /** The next line without its terminator, or null at the end. */
    String next() throws IOException, BadLine {
        if (eof) {
            return null;
        }
        line.reset();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() < maxLineBytes) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        if (b == -1) {
            eof = true;
            if (line.size() == 0 && !tooLong) {
                return null;
            }
        }
        number++;
        if (tooLong) {
            throw new BadLine("line_too_long", "longer than " + maxLineBytes + " bytes");
        }
        byte[] bytes = line.toByteArray();
        int start = number == 1 && bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        int end = bytes.length > start && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new BadLine("invalid_utf8", "is not valid UTF-8");
        }
    }
}
