package dev.unmask.gateway.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetCheckTest {
    private static long documents(String text, String format) throws IOException {
        return DatasetCheck.documents(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), format);
    }

    private static List<String> errors(byte[] bytes, String format) {
        InvalidDatasetException e = assertThrows(InvalidDatasetException.class,
                () -> DatasetCheck.documents(new ByteArrayInputStream(bytes), format));
        return e.errors().stream().map(f -> f.field() + ":" + f.code()).toList();
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
    void reportsAtMostTenBadLines() {
        byte[] bytes = "x\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        List<String> errors = errors(bytes, "jsonl");
        assertEquals(DatasetCheck.MAX_ERRORS, errors.size());
        assertEquals("line 1:invalid_json", errors.get(0));
        assertEquals("line 10:invalid_json", errors.get(9));
    }

    @Test
    void invalidUtf8AndTruncatedSequencesAreNamed() {
        byte[] bytes = {'o', 'k', '\n', (byte) 0xe2, (byte) 0x82, '\n', 'f', 'i', 'n', 'e', '\n', (byte) 0xc0, (byte) 0xaf};
        assertEquals(List.of("line 2:invalid_utf8", "line 4:invalid_utf8"), errors(bytes, "text"));
    }

    @Test
    void blankOnlyIsEmpty() {
        assertEquals(List.of("body:empty"), errors("\n \n".getBytes(StandardCharsets.UTF_8), "text"));
        assertEquals(List.of("body:empty"), errors(new byte[0], "jsonl"));
    }
}
