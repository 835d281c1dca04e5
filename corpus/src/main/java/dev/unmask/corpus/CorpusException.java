package dev.unmask.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Corpus data that cannot be used: invalid UTF-8, invalid JSON, a JSON line that is not an
 * object, a missing or non-string field, or a corpus without a single non-blank document. The
 * message starts with {@code file:line:} (1-based line) where one line is at fault, and names
 * every file when the corpus as a whole is empty.
 */
public final class CorpusException extends IOException {
    private final Path file;
    private final long line;
    private final List<Path> files;
    private final String reason;
    private final Problem problem;

    /** What is wrong, as a stable code (the gateway answers it as the error's {@code code}). */
    public enum Problem {
        INVALID_UTF8("invalid_utf8"),
        LINE_TOO_LONG("line_too_long"),
        INVALID_JSON("invalid_json"),
        NOT_AN_OBJECT("not_an_object"),
        /** A required string field is absent or not a string. */
        MISSING_FIELD("missing_field"),
        EMPTY("empty"),
        /** Anything else about the files as a whole. */
        OTHER("invalid_corpus");

        private final String code;

        Problem(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private CorpusException(String message, Path file, long line, List<Path> files, String reason, Problem problem) {
        super(message);
        this.file = file;
        this.line = line;
        this.files = files;
        this.reason = reason;
        this.problem = problem;
    }

    /** Bad data on one line of one file. */
    public static CorpusException atLine(Path file, long line, Problem problem, String reason) {
        return new CorpusException(file + ":" + line + ": " + reason, file, line, List.of(file), reason, problem);
    }

    /** No non-blank document in any of {@code files}. */
    public static CorpusException empty(List<Path> files) {
        String reason = "empty corpus: no non-blank document in " + names(files);
        return new CorpusException(reason, files.size() == 1 ? files.get(0) : null, 0, List.copyOf(files), reason,
                Problem.EMPTY);
    }

    /** A problem of the corpus made of {@code files} as a whole; {@code reason} should name them. */
    public static CorpusException ofFiles(List<Path> files, String reason) {
        return new CorpusException(reason, files.size() == 1 ? files.get(0) : null, 0, List.copyOf(files), reason,
                Problem.OTHER);
    }

    /** What kind of problem this is. */
    public Problem problem() {
        return problem;
    }

    /** The files, comma-separated, for messages. */
    public static String names(List<Path> files) {
        return files.isEmpty() ? "(no files)" : files.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The file at fault; null when the error concerns several files. */
    public Path file() {
        return file;
    }

    /** The 1-based line at fault; 0 when the error is not about one line. */
    public long line() {
        return line;
    }

    /** Every file the error concerns. */
    public List<Path> files() {
        return files;
    }

    /** The message without the {@code file:line:} prefix. */
    public String reason() {
        return reason;
    }
}
