package dev.unmask.shared.store;

/** One outbox row due for publishing. */
public record OutboxRecord(long id, String topic, String key, String payload) {}
