package dev.unmask.corpus;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Reads a file line by line, decoding each line as strict UTF-8, so that an invalid byte is
 * reported with the exact line (and byte) it is on. Lines are split on {@code \n} at the byte
 * level, which is safe in UTF-8 (no multi-byte sequence contains 0x0A); a trailing {@code \r} and
 * a UTF-8 byte order mark opening the file are removed.
 */
public final class Utf8LineReader implements Closeable {
    /**
     * The longest line read (16 MiB); a longer one is skipped to its end and reported rather than
     * exhausting memory. The gateway checks uploads with this reader, so the limit is the same there.
     */
    public static final int MAX_LINE_BYTES = 16 << 20;

    private final Path file;
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private int chunkPos;
    private int chunkLen;
    private byte[] line = new byte[1024];
    private int lineLen;
    private boolean overlong;
    private long lineNumber;
    private boolean eof;

    public Utf8LineReader(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null,
                    "corpus file does not exist or is not a regular file");
        }
        this.file = file;
        this.in = Files.newInputStream(file);
    }

    /** Gives each line of {@code file} to {@code sink}, streaming; returns the number of lines. */
    public static long forEachLine(Path file, Consumer<String> sink) throws IOException {
        try (Utf8LineReader reader = new Utf8LineReader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                sink.accept(line);
            }
            return reader.lineNumber();
        }
    }

    /** The next line without its terminator, or null at the end of the file. */
    public String readLine() throws IOException {
        if (eof) {
            return null;
        }
        lineLen = 0;
        overlong = false;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkLen) {
                int n = in.read(chunk);
                if (n < 0) {
                    eof = true;
                    if (!any) {
                        return null;
                    }
                    break;
                }
                chunkPos = 0;
                chunkLen = n;
                continue;
            }
            any = true;
            int newline = -1;
            for (int i = chunkPos; i < chunkLen; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? chunkLen : newline;
            append(chunkPos, end);
            chunkPos = newline < 0 ? chunkLen : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        lineNumber++;
        if (overlong) {
            throw CorpusException.atLine(file, lineNumber, CorpusException.Problem.LINE_TOO_LONG,
                    "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB (is this a text corpus?)");
        }
        return decode();
    }

    /** The 1-based number of the line last returned (0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    public Path file() {
        return file;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (overlong || lineLen + n > MAX_LINE_BYTES) {
            overlong = true; // the rest of the line is read past, so the next line reads as usual
            return;
        }
        if (lineLen + n > line.length) {
            byte[] grown = new byte[Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, lineLen + n))];
            System.arraycopy(line, 0, grown, 0, lineLen);
            line = grown;
        }
        System.arraycopy(chunk, from, line, lineLen, n);
        lineLen += n;
    }

    private String decode() throws CorpusException {
        int len = lineLen;
        if (len > 0 && line[len - 1] == '\r') {
            len--;
        }
        int off = 0;
        if (lineNumber == 1 && len >= 3
                && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB && (line[2] & 0xff) == 0xBF) {
            off = 3;
        }
        ByteBuffer bytes = ByteBuffer.wrap(line, off, len - off);
        CharBuffer chars = CharBuffer.allocate(len - off); // UTF-8 never has more chars than bytes
        decoder.reset();
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            int at = bytes.position();
            String value = at < len ? String.format(" (0x%02X)", line[at] & 0xff) : "";
            throw CorpusException.atLine(file, lineNumber, CorpusException.Problem.INVALID_UTF8,
                    "invalid UTF-8 at byte " + (at + 1) + " of the line" + value + "; corpora must be UTF-8 text");
        }
        return chars.flip().toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
