package dev.unmask.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.corpus.CorpusException;
import dev.unmask.corpus.CorpusReader;
import dev.unmask.corpus.Document;
import dev.unmask.corpus.Utf8LineReader;
import dev.unmask.diffusion.data.DataConfig;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.tokenizer.BpeTrainer;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.gateway.dataset.DatasetCheck;
import dev.unmask.gateway.dataset.InvalidDatasetException;
import dev.unmask.shared.spec.FieldError;
import dev.unmask.worker.DatasetCorpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same files, good and bad, given to the gateway's upload check and to what a worker does
 * with the dataset when it trains (the format and packing a worker picks, the tokenizer trained on
 * the documents, the tokenized corpus): an upload the gateway accepts trains with the same number
 * of documents, and one it refuses fails training at the same line for the same reason.
 */
class DatasetAgreementTest {
    private static final String SENTENCE = "the quick brown fox jumps over the lazy dog near the river bank";

    @TempDir
    Path dir;

    static Stream<Arguments> files() {
        String ok = SENTENCE + "\n";
        String pc = "{\"prompt\":\"" + SENTENCE + "\",\"completion\":\" " + SENTENCE + "\"}\n";
        String tx = "{\"text\":\"" + SENTENCE + "\"}\n";
        return Stream.of(
                Arguments.of("text", "text", bytes(ok.repeat(4) + "\n\n" + ok)),
                Arguments.of("text with BOM and CRLF", "text", bytes("\uFEFF" + ok.replace("\n", "\r\n").repeat(5))),
                Arguments.of("text, invalid UTF-8 on line 3", "text",
                        concat(bytes(ok + ok), new byte[] {(byte) 0xc3, '(', '\n'}, bytes(ok.repeat(3)))),
                Arguments.of("text, an overlong line 2", "text",
                        bytes(ok + "a".repeat(Utf8LineReader.MAX_LINE_BYTES + 1) + "\n" + ok.repeat(4))),
                Arguments.of("blank only", "text", bytes("\n  \n\t\n")),
                Arguments.of("jsonl text", "jsonl", bytes(tx.repeat(5))),
                Arguments.of("jsonl prompt/completion", "jsonl", bytes(pc.repeat(5))),
                Arguments.of("jsonl, invalid JSON on line 2", "jsonl", bytes(tx + "{\"text\":\n" + tx.repeat(3))),
                Arguments.of("jsonl, an array on line 1", "jsonl", bytes("[1,2]\n" + tx.repeat(4))),
                Arguments.of("jsonl, a number for text on line 3", "jsonl", bytes(tx + tx + "{\"text\":3}\n" + tx)),
                Arguments.of("jsonl, text line among prompt/completion", "jsonl", bytes(pc + pc + tx + pc)),
                Arguments.of("jsonl, a bad first line before prompt/completion", "jsonl", bytes("oops\n" + pc.repeat(4))),
                Arguments.of("jsonl, blank texts only", "jsonl", bytes("{\"text\":\" \"}\n".repeat(3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void theGatewayAndTheTrainerReadTheSameFileTheSameWay(String name, String format, byte[] content) throws IOException {
        Path file = Files.write(dir.resolve(format.equals("jsonl") ? "upload.jsonl" : "upload.txt"), content);
        assertEquals(trainer(file, format), gateway(file, format), name);
    }

    /** "documents N", or "line L: code" of the first problem. */
    private static String gateway(Path file, String format) throws IOException {
        try {
            return "documents " + DatasetCheck.documents(file, format);
        } catch (InvalidDatasetException e) {
            FieldError first = e.errors().get(0);
            return (first.field().equals("body") ? "file" : first.field()) + ": " + first.code();
        }
    }

    private String trainer(Path file, String format) throws IOException {
        try {
            DatasetCorpus read = DatasetCorpus.of(format, file);
            List<String> texts = new ArrayList<>(); // what the tokenizer is trained on, as TrainingRun does
            for (Document d : CorpusReader.readAll(file, read.format())) {
                if (d.hasPrompt()) {
                    texts.add(d.prompt());
                }
                texts.add(d.text());
            }
            if (texts.isEmpty()) {
                throw CorpusException.empty(List.of(file));
            }
            Path tokenizerDir = Files.createDirectories(dir.resolve("tokenizer"));
            BpeTrainer.trainOnTexts(texts, BpeTrainerConfig.of(300)).save(tokenizerDir);
            TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), read.format(),
                    TextTokenizer.load(tokenizerDir), DataConfig.of(32, read.packing()));
            return "documents " + corpus.documents();
        } catch (CorpusException e) {
            String where = e.line() > 0 ? "line " + e.line() : "file";
            return where + ": " + e.problem().code() + (e.problem() == CorpusException.Problem.OTHER ? " " + e.getMessage() : "");
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
