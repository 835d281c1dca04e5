package dev.unmask.standalone.drill;

import dev.unmask.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The drill's PostgreSQL: the embedded binaries run by a process of their own
 * ({@code PostgresMain}) on a kept data directory and a fixed port. {@link #kill} SIGKILLs the
 * postmaster (by the pid in {@code postmaster.pid}) and its process; {@link #restart} starts the
 * server again on the same data, which PostgreSQL recovers from its WAL.
 */
final class PostgresServer implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(120);

    private final Path dataDir;
    private final int port;
    private final Path logs;
    private ServiceProcess process;

    private PostgresServer(Path dataDir, int port, Path logs) {
        this.dataDir = dataDir;
        this.port = port;
        this.logs = logs;
    }

    static PostgresServer start(Path dataDir, int port, Path logs) throws IOException, InterruptedException {
        PostgresServer server = new PostgresServer(dataDir, port, logs);
        server.restart();
        return server;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + EmbeddedPostgres.DATABASE;
    }

    String username() {
        return EmbeddedPostgres.USERNAME;
    }

    String password() {
        return EmbeddedPostgres.PASSWORD;
    }

    /** SIGKILL of the postmaster and of the process that started it: nothing is shut down cleanly. */
    void kill() throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle.of(pid).ifPresent(postmaster -> {
                postmaster.destroyForcibly();
                postmaster.onExit().join();
            });
        }
        process.kill();
    }

    /** Starts the server (again) on the data directory and port, and waits until it accepts connections. */
    void restart() throws IOException, InterruptedException {
        process = ServiceProcess.start("postgres", "dev.unmask.embedded.PostgresMain", Map.of(), logs,
                dataDir.toString(), Integer.toString(port));
        long deadline = System.nanoTime() + READY.toNanos();
        while (!Files.readString(process.log()).contains("postgres ready at") || !process.alive()) {
            if (!process.alive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not start; see " + process.log());
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
