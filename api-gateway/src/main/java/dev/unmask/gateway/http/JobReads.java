package dev.unmask.gateway.http;

import dev.unmask.gateway.http.Batches.Pending;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.store.JobStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code GET /v1/jobs/{id}} reads, coalesced: reads that wait together are answered by one
 * {@code SELECT ... WHERE id = ANY (?)} ({@link JobStore#findAll}), one trip to the JDBC pool and
 * one statement for all, as polling clients make them by the thousand. A lone read runs at once
 * ({@link Batches}); a read is answered from a statement that started after it arrived, so it sees
 * every write acknowledged before it was sent. Another owner's job is as absent as a missing one.
 */
final class JobReads {
    record Read(UUID id, UUID owner) {}

    private final JobStore jobs;
    private final Batches<Read, Optional<Job>> batches;

    /**
     * Statements reading at once for a JDBC pool of {@code poolSize}: half of it (four of the
     * default eight; the submits take two more, the rest serve every other request). Reads are
     * bound by each round trip, not by a lock: at 16 clients four in flight answered 4,709-5,019
     * reads/s against 3,809-4,492 with two ({@code bench api}, alternating, 2 cores).
     */
    static int inFlight(int poolSize) {
        return Math.max(1, poolSize / 2);
    }

    JobReads(JobStore jobs, Blocking blocking, int maxBatch, int maxInFlight) {
        this.jobs = jobs;
        this.batches = new Batches<>(blocking, maxBatch, maxInFlight, this::read);
    }

    /** The job if {@code owner} owns it; completes on the caller's context. */
    Future<Optional<Job>> find(UUID id, UUID owner) {
        return batches.add(new Read(id, owner));
    }

    /** Statements run so far. */
    long statements() {
        return batches.batchesRun();
    }

    private void read(List<Pending<Read, Optional<Job>>> batch) {
        List<UUID> ids = new ArrayList<>(batch.size());
        for (Pending<Read, Optional<Job>> p : batch) {
            ids.add(p.request().id());
        }
        Map<UUID, Job> found = jobs.findAll(ids); // a failure fails every read of the batch
        for (Pending<Read, Optional<Job>> p : batch) {
            Job job = found.get(p.request().id());
            p.complete(job != null && job.owner().equals(p.request().owner()) ? Optional.of(job) : Optional.empty());
        }
    }
}
