package dev.unmask.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream on a thread of its own; events and the end arrive through a queue. */
public final class SseClient implements AutoCloseable {
    /** One event: {@code id}, {@code event} and {@code data} lines. */
    public record Event(long id, String kind, JsonNode data) {}

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Optional<Event>> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final Thread reader;

    public SseClient(HttpRequest request) {
        try {
            response = Api.client().send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The next event; empty when the server ended the stream. Fails after {@code timeout}. */
    public Optional<Event> next(Duration timeout) throws InterruptedException {
        Optional<Event> e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event and no end within " + timeout);
        }
        return e;
    }

    public int comments() {
        return comments.get();
    }

    private void read() {
        long id = -1;
        String kind = null;
        String data = null;
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(Optional.of(new Event(id, kind, JsonCodec.read(data))));
                    }
                    id = -1;
                    kind = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("id: ")) {
                    id = Long.parseLong(line.substring(4));
                } else if (line.startsWith("event: ")) {
                    kind = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
        } catch (RuntimeException e) {
            // the stream was closed under us: the end
        }
        events.add(Optional.empty());
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}
