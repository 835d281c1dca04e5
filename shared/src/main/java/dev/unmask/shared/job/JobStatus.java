package dev.unmask.shared.job;

import java.util.Arrays;
import java.util.Optional;

/** Where a job is. The legal changes are in {@link JobTransition}. */
public enum JobStatus {
    QUEUED("queued"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled");

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Succeeded, failed and cancelled jobs never change again. */
    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    public static Optional<JobStatus> fromWire(String name) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(name)).findFirst();
    }

    public static JobStatus parse(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown job status '" + name + "'"));
    }
}
