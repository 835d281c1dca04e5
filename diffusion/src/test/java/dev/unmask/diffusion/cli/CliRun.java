package dev.unmask.diffusion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One command line run in-process: its exit code and what it printed to stdout and stderr. */
public record CliRun(int exit, String out, String err) {

    public static CliRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = UnmaskCli.run(args);
            return new CliRun(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** stdout as the one JSON line the command printed. */
    public JsonNode json() throws IOException {
        String[] lines = out.strip().split("\n");
        assertEquals(1, lines.length, "one JSON line: " + out);
        return Json.MAPPER.readTree(lines[0]);
    }
}
