package dev.unmask.shared.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every pair of statuses: exactly the documented changes are legal, every other one throws. */
class JobTransitionsTest {
    private static final Set<String> LEGAL = Set.of(
            "queued->running", "queued->cancelled",
            "running->succeeded", "running->failed", "running->cancelled", "running->queued");

    @Test
    void exactlyTheDocumentedChangesAreLegal() {
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                boolean legal = LEGAL.contains(from.wire() + "->" + to.wire());
                assertEquals(legal, JobTransitions.allowed(from, to), from + " -> " + to);
                if (legal) {
                    JobTransitions.require(from, to);
                } else {
                    IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                            () -> JobTransitions.require(from, to));
                    assertEquals(from, e.from());
                    assertEquals(to, e.to());
                }
            }
        }
    }

    @Test
    void terminalStatusesAreExactlyThoseWithNoWayOut() {
        for (JobStatus s : JobStatus.values()) {
            boolean noWayOut = true;
            for (JobStatus to : JobStatus.values()) {
                noWayOut &= !JobTransitions.allowed(s, to);
            }
            assertEquals(noWayOut, s.terminal(), s.wire());
        }
    }
}
