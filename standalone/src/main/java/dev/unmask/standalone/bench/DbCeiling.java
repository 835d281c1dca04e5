package dev.unmask.standalone.bench;

import dev.unmask.shared.job.JobType;
import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.NewJob;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database's share of a submit, measured without HTTP: the gateway's own submit
 * ({@link JobStore#submit}) straight from {@code concurrency} threads on the gateway's pool, then a
 * bare one-row insert per transaction (what a commit costs, {@code synchronous_commit} on as the
 * gateway runs; and {@link JobStore#submitAll} 16 jobs a statement, as group commit does), then the same with {@code synchronous_commit} off for these sessions only (how
 * much of that is waiting for the WAL flush). What the HTTP submit cannot exceed on this machine.
 */
final class DbCeiling {
    private DbCeiling() {}

    static void run(Database db, String apiKey, String body, int requests, int concurrency, CpuMeter cpu)
            throws Exception {
        UUID owner = new ApiKeyStore(db).authenticate(apiKey).orElseThrow();
        JobRequest request = JobRequest.parse(JsonCodec.read(body));
        JobStore jobs = new JobStore(db);
        ApiBenchmark.Call submit = i -> jobs.submit(owner, JobType.TRAIN, request.specJson(), 3, null, null, 10);
        ApiBenchmark.load(requests / 2, concurrency, submit); // unmeasured
        CpuMeter.Snapshot before = cpu.start();
        ApiBenchmark.report("db: JobStore.submit", ApiBenchmark.load(requests, concurrency, submit));
        System.out.println(before.report(requests));

        int batch = 16;
        java.util.List<NewJob> sixteen = java.util.Collections.nCopies(batch,
                new NewJob(owner, JobType.TRAIN, request.specJson(), 3, null, null, 10));
        before = cpu.start();
        ApiBenchmark.Load grouped = ApiBenchmark.load(requests / batch, concurrency, i -> jobs.submitAll(sixteen));
        System.out.printf(java.util.Locale.ROOT, "%-20s %8.0f jobs/s (%d statements of %d jobs, %d at once)%n",
                "db: submitAll x" + batch, requests / batch * batch / grouped.seconds(), requests / batch, batch,
                concurrency);
        System.out.println(before.report(requests / batch * batch));

        db.statement("create bench table", c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_commits (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
            }
            return null;
        });
        for (String mode : new String[] {"on", "off"}) {
            ApiBenchmark.Call insert = i -> db.statement("bench insert", c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("SET synchronous_commit = " + mode);
                    s.execute("INSERT INTO bench_commits DEFAULT VALUES");
                    s.execute("SET synchronous_commit = on"); // the pool's connections go back as they came
                }
                return null;
            });
            before = cpu.start();
            ApiBenchmark.report("db: 1-row commit, sc=" + mode, ApiBenchmark.load(requests, concurrency, insert));
            System.out.println(before.report(requests));
        }
    }
}
