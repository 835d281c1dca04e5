package dev.unmask.diffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The plain-PyTorch reference benchmark ({@code torch_cpu_bench.py}, {@code shared/bench/README.md})
 * run as its own process: one subcommand and its arguments in, the JSON lines it printed out.
 *
 * @param python the interpreter (Debian's {@code /usr/bin/python3} with {@code python3-torch})
 * @param script {@code torch_cpu_bench.py}
 */
public record ReferenceProcess(Path python, Path script) {

    /** The reference could not run: no interpreter, no script, no torch, or no result. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }
    }

    /** Checks that the interpreter and the script exist, before anything is timed. */
    public void require() {
        if (!Files.isExecutable(python)) {
            throw new UnavailableException(python + " is not an executable: the reference needs Debian's "
                    + "python3 with torch (apt-get install -y python3-torch libopenblas0-openmp), or pass --python");
        }
        if (!Files.isRegularFile(script)) {
            throw new UnavailableException("the reference script " + script + " does not exist: pass "
                    + "--reference DIR, the folder holding torch_cpu_bench.py and torch_ref.py");
        }
    }

    /** Runs {@code torch_cpu_bench.py ARGS...} to its end; its JSON lines, other output dropped. */
    public List<JsonNode> run(List<String> args) {
        List<String> command = new ArrayList<>(List.of(python.toString(), script.toString()));
        command.addAll(args);
        List<String> lines = new ArrayList<>();
        int exit;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            }
            exit = p.waitFor();
        } catch (IOException e) {
            throw new UnavailableException("could not start " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while the reference ran");
        }
        if (exit != 0) {
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            String hint = tail.contains("No module named 'torch'")
                    ? " (" + python + " has no torch: apt-get install -y python3-torch libopenblas0-openmp)" : "";
            throw new UnavailableException("the reference exited with " + exit + hint + ":\n" + tail);
        }
        return jsonLines(lines);
    }

    /** The lines that parse as JSON objects. */
    static List<JsonNode> jsonLines(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines) {
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                out.add(Json.MAPPER.readTree(line));
            } catch (IOException e) {
                // not a result line
            }
        }
        return out;
    }

    /** The lines of one benchmark ({@code "bench": name}). */
    static List<JsonNode> bench(List<JsonNode> lines, String name) {
        return lines.stream().filter(n -> name.equals(n.path("bench").asText())).toList();
    }
}
