package dev.unmask.shared.store;

import dev.unmask.shared.job.Job;

/** The result of a submit: the job, and whether this call created it (false: an idempotent repeat). */
public record Submitted(Job job, boolean created) {}
