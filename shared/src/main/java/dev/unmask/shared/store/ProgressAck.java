package dev.unmask.shared.store;

/**
 * The database's answer to a worker's progress report.
 *
 * @param owned the worker still holds the job (false: its lease was lost; stop without writing more)
 * @param cancelRequested a user asked to cancel: stop at once and report cancelled
 */
public record ProgressAck(boolean owned, boolean cancelRequested) {}
