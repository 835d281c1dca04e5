package dev.unmask.shared.store;

import dev.unmask.shared.job.Job;

/**
 * What a cancel request did.
 *
 * @param effect {@code CANCELLED} (it was queued), {@code REQUESTED} (it is running: the worker stops
 *     within a step), or {@code ALREADY_FINISHED} (terminal: nothing changed)
 */
public record CancelOutcome(Effect effect, Job job) {
    public enum Effect { CANCELLED, REQUESTED, ALREADY_FINISHED }
}
