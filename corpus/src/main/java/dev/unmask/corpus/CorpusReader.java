package dev.unmask.corpus;


import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams the {@link Document}s of one corpus file, a line at a time (the file is never loaded
 * whole). Text is decoded as strict UTF-8. Blank lines are skipped, and so are documents whose
 * text (or completion) is blank. Every bad line fails with a {@link CorpusException} naming the
 * file and the 1-based line.
 */
public final class CorpusReader implements Closeable {
    private final Utf8LineReader lines;
    private final CorpusFormat format;

    private CorpusReader(Utf8LineReader lines, CorpusFormat format) {
        this.lines = lines;
        this.format = format;
    }

    /** Opens {@code file}; {@link CorpusFormat#AUTO} is resolved here by {@link CorpusFormat#detect}. */
    public static CorpusReader open(Path file, CorpusFormat format) throws IOException {
        CorpusFormat resolved = format.resolve(file);
        return new CorpusReader(new Utf8LineReader(file), resolved);
    }

    /** Every document of {@code file}, in order (convenient for small files and tests). */
    public static List<Document> readAll(Path file, CorpusFormat format) throws IOException {
        List<Document> documents = new ArrayList<>();
        try (CorpusReader reader = open(file, format)) {
            for (Document d = reader.next(); d != null; d = reader.next()) {
                documents.add(d);
            }
        }
        return documents;
    }

    /** The file's format, never {@link CorpusFormat#AUTO}. */
    public CorpusFormat format() {
        return format;
    }

    public Path file() {
        return lines.file();
    }

    /** The next document, or null at the end of the file. */
    public Document next() throws IOException {
        return switch (format) {
            case TEXT -> nextLine();
            case TEXT_BLOCKS -> nextBlock();
            case JSONL, PROMPT_COMPLETION -> nextJson();
            case AUTO -> throw new IllegalStateException("AUTO is resolved when opening");
        };
    }

    private Document nextLine() throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (!line.isBlank()) {
                return Document.of(line, source(lines.lineNumber()));
            }
        }
        return null;
    }

    private Document nextBlock() throws IOException {
        StringBuilder block = null;
        long first = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
                if (block != null) {
                    break;
                }
                continue;
            }
            if (block == null) {
                block = new StringBuilder(line);
                first = lines.lineNumber();
            } else {
                block.append('\n').append(line);
            }
        }
        return block == null ? null : Document.of(block.toString(), source(first));
    }

    private Document nextJson() throws IOException {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            long number = lines.lineNumber();
            JsonNode object = JsonLines.object(line, file(), number);
            if (format == CorpusFormat.PROMPT_COMPLETION) {
                String prompt = JsonLines.string(object, "prompt", file(), number);
                String completion = JsonLines.string(object, "completion", file(), number);
                if (!completion.isBlank()) {
                    return new Document(prompt, completion, source(number));
                }
            } else {
                String text = JsonLines.string(object, "text", file(), number);
                if (!text.isBlank()) {
                    return Document.of(text, source(number));
                }
            }
        }
        return null;
    }

    private String source(long line) {
        return file() + ":" + line;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
