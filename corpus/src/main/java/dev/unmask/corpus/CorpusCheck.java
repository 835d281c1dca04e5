package dev.unmask.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole corpus file read with {@link CorpusReader}, the reader training uses, but going on past
 * bad lines so an upload is refused with every problem at once (up to a limit) instead of the
 * first. A file this check passes is one training reads without a {@link CorpusException}, and
 * each problem it reports is the exception training would have stopped at.
 *
 * @param documents the documents training would see (non-blank text or completion)
 * @param problems the bad lines, in order, at most the limit asked for; or the one
 *     {@link CorpusException.Problem#EMPTY} problem when the file holds no document
 */
public record CorpusCheck(long documents, List<CorpusException> problems) {

    public CorpusCheck {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** Reads {@code file} in {@code format} to its end or to the {@code maxProblems}-th bad line. */
    public static CorpusCheck of(Path file, CorpusFormat format, int maxProblems) throws IOException {
        if (maxProblems < 1) {
            throw new IllegalArgumentException("maxProblems must be at least 1, got " + maxProblems);
        }
        long documents = 0;
        List<CorpusException> problems = new ArrayList<>();
        try (CorpusReader reader = CorpusReader.open(file, format)) {
            while (problems.size() < maxProblems) {
                try {
                    if (reader.next() == null) {
                        break;
                    }
                    documents++;
                } catch (CorpusException e) {
                    problems.add(e); // the bad line is consumed; reading goes on with the next
                }
            }
        }
        if (problems.isEmpty() && documents == 0) {
            problems.add(CorpusException.empty(List.of(file)));
        }
        return new CorpusCheck(documents, problems);
    }
}
