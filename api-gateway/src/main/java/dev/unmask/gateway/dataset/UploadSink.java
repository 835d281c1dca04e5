package dev.unmask.gateway.dataset;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Streams a request body into a new file with back-pressure, never holding the body in memory.
 * Past {@code maxBytes} nothing more is written; the rest of the body is read and dropped (so the
 * client gets its answer) and the future fails with {@link TooLargeException}. A body that delivers
 * less than {@link #MIN_PROGRESS} bytes in a {@code window} (and has not ended) fails with
 * {@link StalledException}. The file is deleted whenever the future fails.
 */
public final class UploadSink {
    /** What an upload must deliver per window to be kept open: 1 MiB. */
    public static final long MIN_PROGRESS = 1 << 20;

    /** The body passed the limit. */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(long maxBytes) {
            super("the body is larger than the limit of " + maxBytes + " bytes");
        }
    }

    /** The body stopped arriving (or trickled slower than {@link #MIN_PROGRESS} per window). */
    public static final class StalledException extends RuntimeException {
        public StalledException(Duration window) {
            super("the upload delivered less than 1 MiB in " + window.toMillis() / 1000.0 + " s");
        }
    }

    private UploadSink() {}

    /** The number of bytes written. The request must be paused; this resumes it. */
    public static Future<Long> receive(Vertx vertx, HttpServerRequest request, Path file, long maxBytes,
            Duration window) {
        Promise<Long> done = Promise.promise();
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .onFailure(done::fail)
                .onSuccess(out -> pump(vertx, request, out, maxBytes, window, done));
        return done.future().recover(failure -> vertx.fileSystem().delete(file.toString())
                .transform(ignored -> Future.failedFuture(failure)));
    }

    private static void pump(Vertx vertx, HttpServerRequest request, AsyncFile out, long maxBytes, Duration window,
            Promise<Long> done) {
        long[] received = {0};
        long[] atLastCheck = {0};
        long watch = vertx.setPeriodic(window.toMillis(), id -> {
            if (received[0] - atLastCheck[0] < MIN_PROGRESS && !request.isEnded()) {
                vertx.cancelTimer(id);
                out.close().onComplete(ar -> done.tryFail(new StalledException(window)));
            }
            atLastCheck[0] = received[0];
        });
        done.future().onComplete(ar -> vertx.cancelTimer(watch));
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > maxBytes) {
                return; // drop the rest; the end handler reports it
            }
            out.write(chunk);
            if (out.writeQueueFull()) {
                request.pause();
                out.drainHandler(v -> request.resume());
            }
        });
        request.exceptionHandler(failure -> out.close().onComplete(ar -> done.tryFail(failure)));
        request.endHandler(v -> out.close().onComplete(ar -> {
            if (received[0] > maxBytes) {
                done.tryFail(new TooLargeException(maxBytes));
            } else if (ar.failed()) {
                done.tryFail(ar.cause());
            } else {
                done.tryComplete(received[0]);
            }
        }));
        request.resume();
    }
}
