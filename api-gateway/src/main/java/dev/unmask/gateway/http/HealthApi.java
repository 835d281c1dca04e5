package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.gateway.kafka.KafkaProbe;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.Database;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** {@code /health/live} (the process answers) and {@code /health/ready} (PostgreSQL and Kafka answer within 2 s). */
public final class HealthApi {
    static final Duration WITHIN = Duration.ofSeconds(2);

    private final Database db;
    private final KafkaProbe kafka;
    private final Blocking probes;

    HealthApi(Database db, KafkaProbe kafka, Blocking probes) {
        this.db = db;
        this.kafka = kafka;
        this.probes = probes;
    }

    public void live(RoutingContext ctx) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("status", "up");
        Responses.json(ctx, 200, json);
    }

    public void ready(RoutingContext ctx) {
        Future<Boolean> postgres = check(probes.run(db::ping));
        Future<Boolean> broker = check(probes.run(() -> kafka.answers(WITHIN)));
        Future.join(postgres, broker).onComplete(done -> {
            boolean up = postgres.result() && broker.result();
            ObjectNode json = JsonCodec.MAPPER.createObjectNode();
            json.put("status", up ? "up" : "down");
            ObjectNode checks = json.putObject("checks");
            checks.put("postgres", postgres.result() ? "up" : "down");
            checks.put("kafka", broker.result() ? "up" : "down");
            Responses.json(ctx, up ? 200 : 503, json);
        });
    }

    /** True when the probe said yes in time; false when it said no, failed or took too long. */
    private static Future<Boolean> check(Future<Boolean> probe) {
        return probe.timeout(WITHIN.toMillis() + 500, TimeUnit.MILLISECONDS).otherwise(false);
    }
}
