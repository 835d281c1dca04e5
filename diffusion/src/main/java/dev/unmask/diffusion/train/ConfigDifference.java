package dev.unmask.diffusion.train;

import com.fasterxml.jackson.databind.JsonNode;

/** One field of a run's configuration that differs: the checkpoint's value and the one asked for now. */
public record ConfigDifference(String field, JsonNode checkpoint, JsonNode now) {
    @Override
    public String toString() {
        return field + ": checkpoint " + checkpoint + ", now " + now;
    }
}
