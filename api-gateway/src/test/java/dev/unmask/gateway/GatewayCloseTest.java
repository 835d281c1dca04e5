package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One close of its Vert.x stops what a gateway started beside its verticles: the Kafka probe and the metrics poller. */
@Timeout(120)
class GatewayCloseTest {

    @Test
    void closingTheGatewayStopsEveryThreadItStarted() throws Exception {
        TestEnv env = TestEnv.get();
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Gateway gateway = Gateway.start(env.settings, env.db, GatewayOptions.defaults()
                .withMetricsInterval(Duration.ofMillis(100)));
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && owned(t.getName())).toList();
        assertFalse(started.stream().noneMatch(t -> t.getName().startsWith("unmask-metrics")),
                "the metrics poller runs: " + names(started));
        assertFalse(started.stream().noneMatch(t -> t.getName().startsWith("kafka-admin-client")),
                "the Kafka probe's admin client runs: " + names(started));
        gateway.close();
        for (Thread t : started) {
            t.join(10_000);
        }
        assertEquals(List.of(), started.stream().filter(Thread::isAlive).map(Thread::getName).toList());
    }

    /** Threads only this gateway can have started (Vert.x pools of the test's other gateway grow lazily, by the same names). */
    private static boolean owned(String name) {
        return name.startsWith("unmask-metrics") || name.startsWith("kafka-admin-client");
    }

    private static String names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.joining(", "));
    }
}
