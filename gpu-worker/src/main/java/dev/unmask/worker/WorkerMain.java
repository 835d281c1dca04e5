package dev.unmask.worker;

import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.Database;
import java.util.concurrent.CountDownLatch;

/** {@code ./unmask worker}: a worker against the PostgreSQL and Kafka named by the environment. */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromEnv(System.getenv());
        Database db = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(),
                "unmask-worker");
        Worker worker = Worker.start(settings, db);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            db.close();
            stopped.countDown();
        }, "unmask-worker-shutdown"));
        stopped.await();
    }
}
