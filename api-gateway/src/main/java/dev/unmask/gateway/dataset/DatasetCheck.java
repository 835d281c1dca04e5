package dev.unmask.gateway.dataset;

import dev.unmask.corpus.CorpusCheck;
import dev.unmask.corpus.CorpusException;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.shared.spec.FieldError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks an uploaded corpus with the reader the workers train from ({@link CorpusCheck} over
 * {@link dev.unmask.corpus.CorpusReader}, the format mapped by {@link CorpusFormat#ofDataset}):
 * strict UTF-8 lines of at most 16 MiB; for {@code text} one document per non-blank line; for
 * {@code jsonl} each non-blank line a JSON object with a string {@code text}, or string
 * {@code prompt} and {@code completion} (the first object decides which, for the whole file). At
 * least one non-blank document. Reports up to {@value #MAX_ERRORS} bad lines, each as
 * {@code line N} with the reader's problem code.
 */
public final class DatasetCheck {
    static final int MAX_ERRORS = 10;

    private DatasetCheck() {}

    /** The number of documents. @throws InvalidDatasetException naming each bad line */
    public static long documents(Path file, String format) throws IOException {
        CorpusCheck check = CorpusCheck.of(file, CorpusFormat.ofDataset(format, file), MAX_ERRORS);
        if (!check.ok()) {
            throw new InvalidDatasetException(check.problems().stream().map(DatasetCheck::error).toList());
        }
        return check.documents();
    }

    private static FieldError error(CorpusException e) {
        if (e.problem() == CorpusException.Problem.EMPTY) {
            return new FieldError("body", e.problem().code(), "the dataset holds no non-blank document");
        }
        String where = "line " + e.line();
        return new FieldError(where, e.problem().code(), where + ": " + e.reason());
    }

    static List<String> codes(InvalidDatasetException e) {
        return e.errors().stream().map(f -> f.field() + ":" + f.code()).toList();
    }
}
