package dev.unmask.shared.log;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.MDC;

/**
 * The job a thread is working on, in the logging MDC as {@code job_id}: every log line written
 * inside {@link #of} carries it (the services log JSON lines, see {@code logback.xml}).
 */
public final class JobLog implements AutoCloseable {
    public static final String JOB_ID = "job_id";

    private final String previous;

    private JobLog(String jobId) {
        this.previous = MDC.get(JOB_ID);
        MDC.put(JOB_ID, jobId);
    }

    /** Puts {@code jobId} in the MDC until {@link #close}, which restores what was there. */
    public static JobLog of(UUID jobId) {
        return new JobLog(jobId.toString());
    }

    /** For several jobs at once (a shared canvas): their ids, comma-separated. */
    public static JobLog of(List<UUID> jobIds) {
        return new JobLog(jobIds.stream().map(UUID::toString).collect(Collectors.joining(",")));
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(JOB_ID);
        } else {
            MDC.put(JOB_ID, previous);
        }
    }
}
