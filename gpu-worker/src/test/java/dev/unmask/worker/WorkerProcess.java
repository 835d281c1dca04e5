package dev.unmask.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker in its own JVM ({@link WorkerMain}, this test's classpath), so a test can kill it as
 * an operator's {@code kill -9} would: no shutdown hook, no hand-back, no last heartbeat.
 */
final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(Map<String, String> env, Path logDir) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), WorkerMain.class.getName()));
        Path log = logDir.resolve(env.getOrDefault("UNMASK_WORKER_ID", "worker") + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().put("UNMASK_METRICS_PORT", "0");
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return new WorkerProcess(builder.start(), log);
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits (at most 30 s) until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    /** What the process wrote, for a failure message. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
