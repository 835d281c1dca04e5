package dev.unmask.corpus;


import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a corpus file holds its documents. */
public enum CorpusFormat {
    /** Plain UTF-8 text, one document per line; blank lines are skipped. */
    TEXT("text"),
    /**
     * Plain UTF-8 text, documents separated by one or more blank (or whitespace-only) lines; a
     * document's lines are joined with {@code \n}.
     */
    TEXT_BLOCKS("text-blocks"),
    /** One JSON object per line with a string field {@code text}; other fields are ignored. */
    JSONL("jsonl"),
    /**
     * One JSON object per line with string fields {@code prompt} and {@code completion}. The loss
     * is on the completion only: the prompt is never masked. Prompt and completion are tokenized
     * separately and joined without a separator, so a completion that should follow a space must
     * start with one.
     */
    PROMPT_COMPLETION("prompt-completion"),
    /** Decided per file by {@link #detect(Path)}. */
    AUTO("auto");

    private final String cliName;

    CorpusFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line: {@code text}, {@code text-blocks}, {@code jsonl}, ... */
    public String cliName() {
        return cliName;
    }

    /** Whether documents of this format carry a prompt ({@link #AUTO} is decided per file). */
    public boolean hasPrompts() {
        return this == PROMPT_COMPLETION;
    }

    /** This format, or the detected one of {@code file} for {@link #AUTO}. */
    public CorpusFormat resolve(Path file) throws IOException {
        return this == AUTO ? detect(file) : this;
    }

    /** Parses a {@link #cliName()} (or the constant's name), case-insensitively. */
    public static CorpusFormat fromName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (CorpusFormat format : values()) {
            if (format.cliName.equals(wanted)) {
                return format;
            }
        }
        throw new IllegalArgumentException("unknown corpus format \"" + name + "\"; supported: "
                + Arrays.stream(values()).map(CorpusFormat::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * The format of a file, from its name and first non-blank line. A {@code .jsonl} or
     * {@code .ndjson} file whose first object has {@code prompt} and {@code completion} is
     * {@link #PROMPT_COMPLETION}; any other {@code .jsonl}/{@code .ndjson} file is {@link #JSONL}
     * (so that reading it reports what its lines lack). Every other file is {@link #TEXT}:
     * {@link #TEXT_BLOCKS} is never guessed and must be asked for.
     */
    public static CorpusFormat detect(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".jsonl") && !name.endsWith(".ndjson")) {
            return TEXT;
        }
        return detectJson(file);
    }

    /**
     * The format of an uploaded dataset: {@code jsonl} is {@link #PROMPT_COMPLETION} or
     * {@link #JSONL} by its first object (as {@link #detect}, whatever the file is called), any
     * other is {@link #TEXT}. The gateway checks uploads and the workers train with this one mapping.
     */
    public static CorpusFormat ofDataset(String datasetFormat, Path file) throws IOException {
        return "jsonl".equals(datasetFormat) ? detectJson(file) : TEXT;
    }

    /**
     * {@link #PROMPT_COMPLETION} when the first JSON object has {@code prompt} and {@code completion},
     * else {@link #JSONL}. Lines that are not a JSON object (reading reports them) do not decide.
     */
    private static CorpusFormat detectJson(Path file) throws IOException {
        try (Utf8LineReader lines = new Utf8LineReader(file)) {
            while (true) {
                String line;
                try {
                    line = lines.readLine();
                } catch (CorpusException e) {
                    continue; // a bad line is consumed; reading reports it
                }
                if (line == null) {
                    return JSONL;
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JsonLines.READER.readTree(line);
                } catch (IOException e) {
                    continue;
                }
                if (node != null && node.isObject()) {
                    return node.has("prompt") && node.has("completion") ? PROMPT_COMPLETION : JSONL;
                }
            }
        }
    }
}
