package dev.unmask.standalone.drill;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import java.util.Map;

/**
 * What a drill found: jobs accepted, their ends, what went wrong with them, the faults and how fast
 * pickup came back after each.
 *
 * @param longestClaimGapMs the longest time between two claims while some job was waiting for them
 *     (outside the broker and database outages and their recovery)
 * @param longestGenerateWaitMs the longest a generate job waited to be claimed (outside those outages):
 *     with three workers taking generate jobs, one is nearly always idle, so this is the pickup delay
 * @param longestFaultToClaimMs per fault kind, the longest time from the fault (for a dependency:
 *     from its return) to the next claim
 * @param longestRestartMs the longest time from a worker's SIGKILL to a claim of a job it was running
 */
public record DrillReport(int accepted, Map<String, Integer> terminal, int lost, int duplicated, int overlapping,
        int notResumedFromNewest, int http500, int httpOther5xx, Map<String, Integer> faults,
        long longestClaimGapMs, long longestGenerateWaitMs, Map<String, Long> longestFaultToClaimMs, long longestRestartMs, long seconds) {

    public ObjectNode toJson() {
        return JsonCodec.MAPPER.valueToTree(this);
    }
}
