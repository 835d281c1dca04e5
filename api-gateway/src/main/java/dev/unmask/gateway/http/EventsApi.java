package dev.unmask.gateway.http;

import dev.unmask.gateway.events.EventHub;
import dev.unmask.gateway.events.SseStream;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import dev.unmask.shared.store.JobStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/jobs/{id}/events}: Server-Sent Events. Subscribes to live events, replays the
 * stored ones after {@code Last-Event-ID} (header or {@code ?last_event_id=}) page by page, then
 * streams live until the job's terminal status.
 */
public final class EventsApi {
    private static final Logger LOG = LoggerFactory.getLogger(EventsApi.class);
    static final int PAGE = 500;

    private final Vertx vertx;
    private final JobStore jobs;
    private final EventStore events;
    private final EventHub hub;
    private final Blocking blocking;
    private final Duration heartbeat;

    EventsApi(Vertx vertx, JobStore jobs, EventStore events, EventHub hub, Blocking blocking, Duration heartbeat) {
        this.vertx = vertx;
        this.jobs = jobs;
        this.events = events;
        this.hub = hub;
        this.blocking = blocking;
        this.heartbeat = heartbeat;
    }

    public void stream(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        UUID id = Ids.parse(ctx.pathParam("id"), "job");
        long after = lastEventId(ctx);
        blocking.run(() -> jobs.findOwned(id, owner).orElseThrow(() -> ApiException.notFound("job " + id)))
                .onSuccess(job -> {
                    SseStream stream = new SseStream(vertx, ctx.response(), id, after);
                    stream.open(hub, heartbeat, from -> replay(stream, job, from));
                    replay(stream, job, after);
                })
                .onFailure(ctx::fail);
    }

    private void replay(SseStream stream, Job job, long after) {
        blocking.run(() -> events.after(job.id(), after, PAGE)).onSuccess(page -> {
            for (JobEvent event : page) {
                if (stream.replay(event)) {
                    return;
                }
            }
            if (page.size() < PAGE) {
                stream.replayed(job.status().terminal());
            } else if (stream.writeQueueFull()) {
                stream.drainHandler(() -> replay(stream, job, last(page)));
            } else {
                replay(stream, job, last(page));
            }
        }).onFailure(failure -> {
            LOG.warn("replaying events of job {} failed; closing its stream", job.id(), failure);
            stream.end();
        });
    }

    private static long last(List<JobEvent> page) {
        return page.get(page.size() - 1).id();
    }

    private static long lastEventId(RoutingContext ctx) {
        String text = ctx.request().getHeader("Last-Event-ID");
        if (text == null) {
            text = ctx.request().getParam("last_event_id");
        }
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(text.trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest(ProblemCode.INVALID_LAST_EVENT_ID, "Last-Event-ID must be an event id, got '" + text + "'");
    }
}
