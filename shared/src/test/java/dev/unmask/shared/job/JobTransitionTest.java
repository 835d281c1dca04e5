package dev.unmask.shared.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every pair of statuses: exactly the documented changes are in the table, every other one throws. */
class JobTransitionTest {
    private static final Set<String> LEGAL = Set.of(
            "queued->running", "queued->cancelled",
            "running->succeeded", "running->failed", "running->cancelled", "running->queued");

    @Test
    void exactlyTheDocumentedChangesAreLegal() {
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                boolean legal = LEGAL.contains(from.wire() + "->" + to.wire());
                assertEquals(legal, JobTransition.allowed(from, to), from + " -> " + to);
                if (legal) {
                    JobTransition t = JobTransition.between(from, to);
                    assertEquals(from, t.from());
                    assertEquals(to, t.to());
                    assertEquals("status = '" + to.wire() + "'", t.set());
                    assertEquals("status = '" + from.wire() + "'", t.guard());
                } else {
                    IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
                            () -> JobTransition.between(from, to));
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
                noWayOut &= !JobTransition.allowed(s, to);
            }
            assertEquals(noWayOut, s.terminal(), s.wire());
        }
    }
}
