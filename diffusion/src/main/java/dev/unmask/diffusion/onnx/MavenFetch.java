package dev.unmask.diffusion.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches one jar through Maven ({@code mvn dependency:copy}), so it comes from the repositories,
 * mirrors and local repository the user's Maven is set up with, checksums checked. The executable
 * is {@code mvn}, or {@code UNMASK_MVN}.
 */
public final class MavenFetch {
    private MavenFetch() {}

    /**
     * @param coordinates {@code group:artifact:version}
     * @param offline only the local repository ({@code mvn -o})
     * @return the jar, in {@code dir}
     */
    public static Path jar(String coordinates, Path dir, boolean offline) throws IOException {
        Files.createDirectories(dir);
        String mvn = System.getenv().getOrDefault("UNMASK_MVN", "mvn");
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-ntp"));
        if (offline) {
            command.add("-o");
        }
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            command.add("-Dmaven.repo.local=" + repo);
        }
        command.addAll(List.of("dependency:copy", "-Dartifact=" + coordinates + ":jar",
                "-DoutputDirectory=" + dir.toAbsolutePath(), "-Dmdep.overWriteReleases=true"));
        Path log = dir.resolve("mvn.log"); // kept out of stdout, which carries the command's JSON line
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + mvn + " to fetch " + coordinates
                    + " (Maven 3.8+ must be on PATH, or UNMASK_MVN name it): " + e.getMessage(), e);
        }
        try {
            int exit = process.waitFor();
            if (exit != 0) {
                List<String> output = Files.readAllLines(log);
                throw new IOException(String.join(" ", command) + " failed with exit code " + exit
                        + (offline ? " (offline: is the jar in the local repository?)" : "") + ": "
                        + String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size())));
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + coordinates, e);
        }
        String[] parts = coordinates.split(":");
        Path jar = dir.resolve(parts[1] + "-" + parts[2] + ".jar");
        if (!Files.isRegularFile(jar)) {
            try (Stream<Path> files = Files.list(dir)) {
                throw new IOException("Maven fetched " + coordinates + " but " + jar + " is not there; "
                        + dir + " holds " + files.map(p -> p.getFileName().toString()).toList());
            }
        }
        return jar;
    }
}
