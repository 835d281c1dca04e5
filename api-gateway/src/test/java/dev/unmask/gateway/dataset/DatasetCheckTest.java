package dev.unmask.gateway.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unmask.corpus.Utf8LineReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCheckTest {
    @TempDir
    Path dir;
    private int files;

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("upload-" + files++), bytes);
    }

    private long documents(String text, String format) throws IOException {
        return DatasetCheck.documents(file(text.getBytes(StandardCharsets.UTF_8)), format);
    }

    private List<String> errors(byte[] bytes, String format) throws IOException {
        Path file = file(bytes);
        InvalidDatasetException e = assertThrows(InvalidDatasetException.class,
                () -> DatasetCheck.documents(file, format));
        return DatasetCheck.codes(e);
    }

    @Test
    void textCountsNonBlankLinesWithCrlfBomAndNoFinalNewline() throws IOException {
        assertEquals(3, documents("\uFEFFa\r\nb\r\n\r\n   \nc", "text"));
        assertEquals(1, documents("only", "text"));
    }

    @Test
    void jsonlTakesTheFirstObjectsShapeForTheWholeFile() throws IOException {
        assertEquals(2, documents("{\"prompt\":\"p\",\"completion\":\"c\"}\n{\"prompt\":\"\",\"completion\":\"d\"}\n",
                "jsonl"));
        assertEquals(List.of("line 2:missing_field"),
                errors("{\"prompt\":\"p\",\"completion\":\"c\"}\n{\"text\":\"t\"}\n".getBytes(StandardCharsets.UTF_8),
                        "jsonl"));
    }

    @Test
    void reportsAtMostTenBadLines() throws IOException {
        byte[] bytes = "x\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        List<String> errors = errors(bytes, "jsonl");
        assertEquals(DatasetCheck.MAX_ERRORS, errors.size());
        assertEquals("line 1:invalid_json", errors.get(0));
        assertEquals("line 10:invalid_json", errors.get(9));
    }

    @Test
    void invalidUtf8AndTruncatedSequencesAreNamed() throws IOException {
        byte[] bytes = {'o', 'k', '\n', (byte) 0xe2, (byte) 0x82, '\n', 'f', 'i', 'n', 'e', '\n', (byte) 0xc0, (byte) 0xaf};
        assertEquals(List.of("line 2:invalid_utf8", "line 4:invalid_utf8"), errors(bytes, "text"));
    }

    @Test
    void blankOnlyIsEmpty() throws IOException {
        assertEquals(List.of("body:empty"), errors("\n \n".getBytes(StandardCharsets.UTF_8), "text"));
        assertEquals(List.of("body:empty"), errors(new byte[0], "jsonl"));
    }

    @Test
    void anOverlongLineIsNamedAndTheNextLinesAreStillRead() throws IOException {
        byte[] big = ("a".repeat(Utf8LineReader.MAX_LINE_BYTES + 1) + "\n{\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("line 1:line_too_long", "line 2:invalid_json"), errors(big, "jsonl"));
    }

    @Test
    void theFirstValidObjectDecidesEvenAfterABadLine() throws IOException {
        assertEquals(List.of("line 1:invalid_json"),
                errors("nope\n{\"prompt\":\"p\",\"completion\":\"c\"}\n".getBytes(StandardCharsets.UTF_8), "jsonl"));
    }
}
