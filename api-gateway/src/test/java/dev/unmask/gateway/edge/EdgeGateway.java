package dev.unmask.gateway.edge;

import dev.unmask.gateway.Gateway;
import dev.unmask.gateway.TestEnv;
import dev.unmask.shared.config.Settings;
import java.time.Duration;
import java.util.Map;

/** A gateway of the shared test environment with short HTTP timeouts, one per test class. */
final class EdgeGateway {
    static final Duration IDLE = Duration.ofSeconds(3);
    static final Duration HEADER = Duration.ofSeconds(2);
    static final Duration BODY = Duration.ofSeconds(2);

    private EdgeGateway() {}

    static Gateway start(TestEnv env) {
        return env.gatewayWith(Map.of(
                Settings.HTTP_IDLE.name(), Long.toString(IDLE.toSeconds()),
                Settings.HTTP_HEADER.name(), Long.toString(HEADER.toSeconds()),
                Settings.HTTP_BODY.name(), Long.toString(BODY.toSeconds())));
    }
}
