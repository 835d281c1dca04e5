package dev.unmask.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browser test needs on the machine: Debian's {@code chromium}, {@code node} and
 * {@code playwright-core} (from {@code webui-tests/package-lock.json}). Each is installed only
 * when missing ({@code apt-get} as root, {@code npm ci}), so a second run costs two file checks.
 * {@link #missing} says why the test cannot run when installing is impossible (not root, no
 * apt-get); an install that could run and failed is an error, not a reason to skip.
 */
final class BrowserTools {
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

    private BrowserTools() {}

    /**
     * Installs what is missing; returns why the browser test cannot run, or empty when it can.
     *
     * @throws IOException when an installation ran and failed
     */
    static Optional<String> missing(Path testsDir) throws IOException, InterruptedException {
        List<String> packages = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            packages.add("chromium");
        }
        if (onPath("node").isEmpty() || onPath("npm").isEmpty()) {
            packages.add("nodejs");
            packages.add("npm");
        }
        if (!packages.isEmpty()) {
            Optional<String> why = aptInstall(packages);
            if (why.isPresent()) {
                return why;
            }
        }
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IOException(CHROMIUM + " is still missing after installing chromium (set CHROMIUM to its path)");
        }
        playwright(testsDir);
        return Optional.empty();
    }

    private static Optional<String> aptInstall(List<String> packages) throws IOException, InterruptedException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs " + packages + " (apt-get install -y " + String.join(" ", packages)
                    + "), and this test is not running as root to install them");
        }
        if (onPath("apt-get").isEmpty()) {
            return Optional.of("needs " + packages + " and there is no apt-get to install them");
        }
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
        install.addAll(packages);
        if (run(install, null).exit() != 0) { // the package lists may be missing or stale
            Result update = run(List.of("apt-get", "update", "-q"), null);
            Result again = run(install, null);
            if (again.exit() != 0) {
                throw new IOException("apt-get install " + packages + " failed:\n" + update.output() + again.output());
            }
        }
        return Optional.empty();
    }

    /** playwright-core at the locked version in {@code node_modules}, else {@code npm ci}. */
    private static void playwright(Path testsDir) throws IOException, InterruptedException {
        String locked = lockedVersion(testsDir.resolve("package-lock.json"));
        Path installed = testsDir.resolve("node_modules/playwright-core/package.json");
        if (Files.isRegularFile(installed) && locked.equals(lockedVersion(installed))) {
            return;
        }
        Result ci = run(List.of("npm", "ci", "--no-audit", "--no-fund"), testsDir);
        if (ci.exit() != 0) {
            throw new IOException("npm ci in " + testsDir + " failed:\n" + ci.output());
        }
    }

    /** The first {@code "version"} after playwright-core's entry (package-lock.json) or at the top (package.json). */
    private static String lockedVersion(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        int from = Math.max(0, json.indexOf("\"node_modules/playwright-core\""));
        Matcher m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        if (!m.find(from)) {
            throw new IOException("no playwright-core version in " + file);
        }
        return m.group(1);
    }

    static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Result(int exit, String output) {}

    private static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Map<String, String> env = pb.environment();
        env.put("DEBIAN_FRONTEND", "noninteractive");
        Path log = Files.createTempFile("unmask-install-", ".log");
        try {
            Process p = pb.redirectOutput(log.toFile()).start();
            if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", command) + " took over " + INSTALL_TIMEOUT + "\n");
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            return new Result(p.exitValue(), out.length() > 4000 ? out.substring(out.length() - 4000) : out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
