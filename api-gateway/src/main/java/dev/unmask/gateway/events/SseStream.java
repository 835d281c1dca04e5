package dev.unmask.gateway.events;

import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One Server-Sent Events connection for one job. It subscribes to live events first and holds
 * them while the database replay runs; then it sends the held ones newer than the last event
 * sent, and every later live event. An event is never sent twice (ids only grow) and the stream
 * ends after a terminal status. When the live feed had a gap ({@link EventHub#resyncAll}) it
 * replays from the database again after the last event sent. All methods run on the connection's context.
 */
public final class SseStream {
    private final Vertx vertx;
    private final Context context;
    private final HttpServerResponse response;
    private final UUID jobId;
    private final List<JobEvent> held = new ArrayList<>();
    private long lastSent;
    private boolean replaying = true;
    private boolean resyncWanted;
    private boolean closed;
    private Runnable unsubscribe = () -> { };
    private LongConsumer replayer = after -> { };
    private long heartbeatTimer = -1;

    public SseStream(Vertx vertx, HttpServerResponse response, UUID jobId, long lastEventId) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.response = response;
        this.jobId = jobId;
        this.lastSent = lastEventId;
    }

    /**
     * Sends the headers, subscribes to live events and starts the heartbeat.
     *
     * @param replay replays the stored events after the given id, ending with {@link #replayed}
     */
    public void open(EventHub hub, Duration heartbeat, LongConsumer replay) {
        this.replayer = replay;
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(v -> release());
        write(": events of job " + jobId + "\n\n");
        unsubscribe = hub.subscribe(jobId, new EventHub.Listener() {
            @Override
            public void event(JobEvent event) {
                context.runOnContext(v -> live(event));
            }

            @Override
            public void resync() {
                context.runOnContext(v -> resyncNow());
            }
        });
        heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> write(": heartbeat\n\n"));
    }

    public long lastSent() {
        return lastSent;
    }

    public boolean closed() {
        return closed;
    }

    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    public void drainHandler(Runnable then) {
        response.drainHandler(v -> then.run());
    }

    /** Sends a replayed event; true when the stream has ended. */
    public boolean replay(JobEvent event) {
        send(event);
        return closed;
    }

    /** The replay is over: sends the held live events, and ends the stream if the job had already finished. */
    public void replayed(boolean jobFinished) {
        if (resyncWanted && !closed && !jobFinished) {
            resyncWanted = false;
            replayer.accept(lastSent);
            return;
        }
        replaying = false;
        held.sort(Comparator.comparingLong(JobEvent::id));
        for (JobEvent event : held) {
            send(event);
        }
        held.clear();
        if (jobFinished) {
            end();
        }
    }

    /** Ends the stream (a failed replay, or shutdown). */
    public void end() {
        if (!closed) {
            release();
            response.end();
        }
    }

    private void live(JobEvent event) {
        if (closed) {
            return;
        }
        if (replaying) {
            held.add(event);
        } else {
            send(event);
        }
    }

    private void resyncNow() {
        if (closed) {
            return;
        }
        if (replaying) {
            resyncWanted = true;
        } else {
            replaying = true;
            replayer.accept(lastSent);
        }
    }

    private void send(JobEvent event) {
        if (closed || event.id() <= lastSent) {
            return;
        }
        lastSent = event.id();
        write("id: " + event.id() + "\nevent: " + event.kind() + "\ndata: " + JsonCodec.write(EventStore.toJson(event))
                + "\n\n");
        if (terminal(event)) {
            end();
        }
    }

    static boolean terminal(JobEvent event) {
        return "status".equals(event.kind()) && event.data() != null
                && JobStatus.fromWire(event.data().path("status").asText()).map(JobStatus::terminal).orElse(false);
    }

    private void write(String text) {
        if (!closed) {
            response.write(text).onFailure(e -> release());
        }
    }

    private void release() {
        closed = true;
        unsubscribe.run();
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
    }
}
