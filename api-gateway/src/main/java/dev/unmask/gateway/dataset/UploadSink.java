package dev.unmask.gateway.dataset;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;

/**
 * Streams a request body into a new file with back-pressure, never holding the body in memory.
 * Past {@code maxBytes} nothing more is written; the rest of the body is read and dropped (so the
 * client gets its answer) and the future fails with {@link TooLargeException}. The file is deleted
 * whenever the future fails.
 */
public final class UploadSink {
    /** The body passed the limit. */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(long maxBytes) {
            super("the body is larger than the limit of " + maxBytes + " bytes");
        }
    }

    private UploadSink() {}

    /** The number of bytes written. The request must be paused; this resumes it. */
    public static Future<Long> receive(Vertx vertx, HttpServerRequest request, Path file, long maxBytes) {
        Promise<Long> done = Promise.promise();
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .onFailure(done::fail)
                .onSuccess(out -> pump(request, out, maxBytes, done));
        return done.future().recover(failure -> vertx.fileSystem().delete(file.toString())
                .transform(ignored -> Future.failedFuture(failure)));
    }

    private static void pump(HttpServerRequest request, AsyncFile out, long maxBytes, Promise<Long> done) {
        long[] received = {0};
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
