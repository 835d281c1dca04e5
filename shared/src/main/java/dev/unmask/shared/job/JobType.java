package dev.unmask.shared.job;

import java.util.Arrays;
import java.util.Optional;

/** What a job does; each type has its own Kafka topic so long training never starves generation. */
public enum JobType {
    TRAIN("train", Topics.TRAIN),
    GENERATE("generate", Topics.GENERATE);

    private final String wire;
    private final String topic;

    JobType(String wire, String topic) {
        this.wire = wire;
        this.topic = topic;
    }

    /** The name in JSON and in the database. */
    public String wire() {
        return wire;
    }

    /** The topic its jobs are delivered on. */
    public String topic() {
        return topic;
    }

    /**
     * The Kafka share group of the workers that run this type: {@code unmask-share-train},
     * {@code unmask-share-generate} (not the names of the consumer groups of earlier versions:
     * one id cannot be both kinds of group).
     */
    public String shareGroup() {
        return "unmask-share-" + wire;
    }

    public static Optional<JobType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(name)).findFirst();
    }

    public static JobType parse(String name) {
        return fromWire(name).orElseThrow(() -> new IllegalArgumentException("unknown job type '" + name + "'"));
    }
}
