package dev.unmask.shared.store;

import dev.unmask.shared.job.Job;
import java.util.List;

/** A page of jobs, newest first; {@code nextCursor} is null on the last page. */
public record JobPage(List<Job> jobs, String nextCursor) {}
