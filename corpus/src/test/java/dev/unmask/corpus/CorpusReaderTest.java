package dev.unmask.corpus;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every corpus format is read document by document; every bad line is named by file and line. */
class CorpusReaderTest {
    @TempDir Path tmp;

    private Path write(String name, String content) throws Exception {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void textIsOneDocumentPerLineSkippingBlankLines() throws Exception {
        Path file = write("corpus.txt", "first line\n\n   \nsecond line\r\nthird\n");
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.TEXT);
        assertEquals(List.of(
                Document.of("first line", file + ":1"),
                Document.of("second line", file + ":4"),
                Document.of("third", file + ":5")), docs);
    }

    @Test
    void textWithoutFinalNewlineAndWithByteOrderMark() throws Exception {
        Path file = tmp.resolve("bom.txt");
        Files.write(file, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                "héllo wörld 🙂\nlast".getBytes(StandardCharsets.UTF_8)));
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.TEXT);
        assertEquals(List.of("héllo wörld 🙂", "last"), docs.stream().map(Document::text).toList());
    }

    @Test
    void longLinesSpanningReadChunksAreWhole() throws Exception {
        String longLine = "word ".repeat(40_000).trim();
        Path file = write("long.txt", "a\n" + longLine + "\nb\n");
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.TEXT);
        assertEquals(List.of("a", longLine, "b"), docs.stream().map(Document::text).toList());
        assertEquals(file + ":3", docs.get(2).source());
    }

    @Test
    void textBlocksAreSeparatedByBlankLines() throws Exception {
        Path file = write("blocks.txt", "\n\npara one\nstill one\n\n \n\npara two\n\nthree a\nthree b");
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.TEXT_BLOCKS);
        assertEquals(List.of(
                Document.of("para one\nstill one", file + ":3"),
                Document.of("para two", file + ":8"),
                Document.of("three a\nthree b", file + ":10")), docs);
    }

    @Test
    void jsonlReadsTheTextFieldAndIgnoresOthers() throws Exception {
        Path file = write("c.jsonl", "{\"text\": \"alpha\", \"id\": 1}\n\n{\"meta\": {}, \"text\": \"beta\\ngamma\"}\n"
                + "{\"text\": \"   \"}\n");
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.JSONL);
        assertEquals(List.of(Document.of("alpha", file + ":1"), Document.of("beta\ngamma", file + ":3")), docs);
    }

    @Test
    void promptCompletionReadsBothFields() throws Exception {
        Path file = write("pc.jsonl", "{\"prompt\": \"Q: 2+2?\", \"completion\": \" A: 4\"}\n"
                + "{\"prompt\": \"\", \"completion\": \"no prompt\"}\n");
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.PROMPT_COMPLETION);
        assertEquals(List.of(
                new Document("Q: 2+2?", " A: 4", file + ":1"),
                new Document("", "no prompt", file + ":2")), docs);
        assertTrue(docs.get(0).hasPrompt());
    }

    @Test
    void readerStreamsAndReportsItsFormat() throws Exception {
        Path file = write("s.jsonl", "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        try (CorpusReader reader = CorpusReader.open(file, CorpusFormat.AUTO)) {
            assertEquals(CorpusFormat.JSONL, reader.format());
            assertEquals("one", reader.next().text());
            assertEquals("two", reader.next().text());
            assertNull(reader.next());
            assertNull(reader.next());
        }
    }

    @Test
    void autoDetection() throws Exception {
        assertEquals(CorpusFormat.PROMPT_COMPLETION, CorpusFormat.detect(
                write("a.jsonl", "\n  \n{\"prompt\": \"p\", \"completion\": \"c\", \"text\": \"t\"}\n")));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(write("b.ndjson", "{\"text\": \"t\"}\n")));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(write("c.JSONL", "{\"prompt\": \"only\"}\n")));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(write("d.jsonl", "not json\n")));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.detect(write("e.jsonl", "")));
        assertEquals(CorpusFormat.TEXT, CorpusFormat.detect(write("f.txt", "{\"text\": \"t\"}\n")));
        assertEquals(CorpusFormat.TEXT, CorpusFormat.detect(write("g", "plain\n")));
        assertEquals(CorpusFormat.TEXT_BLOCKS, CorpusFormat.TEXT_BLOCKS.resolve(tmp.resolve("g")));
        assertEquals(CorpusFormat.PROMPT_COMPLETION, CorpusFormat.AUTO.resolve(tmp.resolve("a.jsonl")));
    }

    @Test
    void formatNamesParse() {
        assertEquals(CorpusFormat.TEXT_BLOCKS, CorpusFormat.fromName("text-blocks"));
        assertEquals(CorpusFormat.PROMPT_COMPLETION, CorpusFormat.fromName("PROMPT_COMPLETION"));
        assertEquals(CorpusFormat.AUTO, CorpusFormat.fromName("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CorpusFormat.fromName("csv"));
        assertTrue(e.getMessage().contains("\"csv\"") && e.getMessage().contains("text-blocks"), e.getMessage());
    }

    @Test
    void invalidUtf8NamesFileAndLine() throws Exception {
        Path file = tmp.resolve("bad.txt");
        Files.write(file, concat("line one\nline two\nline ".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28}, " three\nline four\n".getBytes(StandardCharsets.UTF_8)));
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(file, CorpusFormat.TEXT));
        assertEquals(file, e.file());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(file + ":3: invalid UTF-8 at byte 6"), e.getMessage());
    }

    @Test
    void invalidUtf8InJsonlAndTruncatedSequenceAtEndOfFile() throws Exception {
        Path jsonl = tmp.resolve("bad.jsonl");
        Files.write(jsonl, concat("{\"text\": \"ok\"}\n{\"text\": \"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xFF}, "\"}\n".getBytes(StandardCharsets.UTF_8)));
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(jsonl, CorpusFormat.JSONL));
        assertTrue(e.getMessage().startsWith(jsonl + ":2: invalid UTF-8"), e.getMessage());

        Path cut = tmp.resolve("cut.txt");
        Files.write(cut, concat("a\nb\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xE2, (byte) 0x82}));
        e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(cut, CorpusFormat.TEXT_BLOCKS));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(cut + ":3: invalid UTF-8 at byte 1"), e.getMessage());
    }

    @Test
    void invalidJsonNamesFileAndLine() throws Exception {
        Path file = write("broken.jsonl", "{\"text\": \"ok\"}\n\n{\"text\": \"unterminated}\n");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(file, CorpusFormat.JSONL));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith(file + ":3: invalid JSON"), e.getMessage());

        Path trailing = write("trailing.jsonl", "{\"text\": \"a\"} {\"text\": \"b\"}\n");
        e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(trailing, CorpusFormat.JSONL));
        assertTrue(e.getMessage().startsWith(trailing + ":1: invalid JSON"), e.getMessage());
    }

    @Test
    void jsonThatIsNotAnObjectNamesFileAndLine() throws Exception {
        Path file = write("arr.jsonl", "{\"text\": \"ok\"}\n[\"text\"]\n");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(file, CorpusFormat.JSONL));
        assertEquals(file + ":2: expected a JSON object, got array", e.getMessage());

        Path str = write("str.jsonl", "\"just a string\"\n");
        e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(str, CorpusFormat.PROMPT_COMPLETION));
        assertEquals(str + ":1: expected a JSON object, got string", e.getMessage());
    }

    @Test
    void missingFieldIsNamed() throws Exception {
        Path file = write("m.jsonl", "{\"text\": \"ok\"}\n{\"content\": \"no text\"}\n");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(file, CorpusFormat.JSONL));
        assertEquals(file + ":2: missing field \"text\"", e.getMessage());
        assertEquals("missing field \"text\"", e.reason());

        Path pc = write("pc.jsonl", "{\"prompt\": \"p\", \"completion\": \"c\"}\n\n\n{\"prompt\": \"p\"}\n");
        e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(pc, CorpusFormat.PROMPT_COMPLETION));
        assertEquals(pc + ":4: missing field \"completion\"", e.getMessage());

        Path noPrompt = write("np.jsonl", "{\"completion\": \"c\"}\n");
        e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(noPrompt, CorpusFormat.PROMPT_COMPLETION));
        assertEquals(noPrompt + ":1: missing field \"prompt\"", e.getMessage());
    }

    @Test
    void nonStringFieldIsNamed() throws Exception {
        Path file = write("n.jsonl", "{\"text\": 42}\n");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(file, CorpusFormat.JSONL));
        assertEquals(file + ":1: field \"text\" must be a string, got number", e.getMessage());

        Path pc = write("pcn.jsonl", "{\"prompt\": \"p\", \"completion\": \"c\"}\n{\"prompt\": null, \"completion\": \"c\"}\n");
        e = assertThrows(CorpusException.class, () -> CorpusReader.readAll(pc, CorpusFormat.PROMPT_COMPLETION));
        assertEquals(pc + ":2: field \"prompt\" must be a string, got null", e.getMessage());
        assertEquals(pc, e.file());
        assertEquals(2, e.line());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
