package dev.unmask.shared.store;

import dev.unmask.shared.job.JobType;
import java.util.UUID;

/**
 * A running job's holder and lease, as the database sees it now.
 *
 * @param secondsLeft until the lease runs out, by the database's clock (negative: expired)
 */
public record RunningLease(UUID jobId, JobType type, String workerId, double secondsLeft) {}
