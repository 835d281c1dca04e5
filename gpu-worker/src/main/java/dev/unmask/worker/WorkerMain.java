package dev.unmask.worker;

import dev.unmask.shared.config.Settings;
import dev.unmask.shared.metrics.ProcessMetrics;
import dev.unmask.shared.store.Database;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./unmask worker}: a worker against the PostgreSQL and Kafka named by the environment,
 * with its Prometheus endpoint ({@code GET /metrics}) on {@code UNMASK_METRICS_PORT} unless that is 0.
 */
public final class WorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);

    private WorkerMain() {}

    public static void main(String[] args) throws InterruptedException {
        Settings settings = Settings.fromEnv(System.getenv());
        ProcessMetrics metrics = new ProcessMetrics();
        AtomicReference<Worker> started = new AtomicReference<>();
        AtomicReference<Database> database = new AtomicReference<>();
        MetricsEndpoint endpoint = settings.metricsPort() == 0 ? null
                : MetricsEndpoint.start(settings.metricsPort(), metrics::scrape, () -> started.get() != null
                        && started.get().consuming() && database.get().ping());
        if (endpoint != null) {
            LOG.info("worker metrics and health on port {} (GET /metrics, /health/live, /health/ready)", endpoint.port());
        }
        Database db = Database.open(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize(),
                "unmask-worker");
        database.set(db);
        Worker worker = Worker.start(settings, db, metrics.registry());
        started.set(worker);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            db.close();
            if (endpoint != null) {
                endpoint.close();
            }
            metrics.close();
            stopped.countDown();
        }, "unmask-worker-shutdown"));
        stopped.await();
    }
}
