package dev.unmask.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A PostgreSQL server (the embedded binaries) run by a process of its own:
 * {@code PostgresMain DATA_DIR PORT}. The cluster is kept in {@code DATA_DIR}, so a server killed
 * (this process and its postmaster) and started again on the same directory and port recovers its
 * data from the WAL; SIGTERM stops it cleanly.
 */
public final class PostgresMain {
    private PostgresMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PostgresMain DATA_DIR PORT");
            System.exit(2);
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start(Path.of(args[0]), Integer.parseInt(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            postgres.close();
            stopped.countDown();
        }, "postgres-shutdown"));
        System.out.println("postgres ready at " + postgres.jdbcUrl());
        stopped.await();
    }
}
