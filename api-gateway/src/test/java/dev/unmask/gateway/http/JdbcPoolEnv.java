package dev.unmask.gateway.http;

import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** A real PostgreSQL, its pool and a Vert.x worker pool for the batching tests; closed in reverse. */
final class JdbcPoolEnv implements AutoCloseable {
    final EmbeddedPostgres pg;
    final Database db;
    final Vertx vertx;
    final WorkerExecutor pool;

    JdbcPoolEnv(String name) throws Exception {
        pg = EmbeddedPostgres.start(null, 0);
        db = Database.open(pg.jdbcUrl(), pg.username(), pg.password(), 4, name);
        vertx = Vertx.vertx();
        pool = vertx.createSharedWorkerExecutor(name + "-test", 4);
    }

    Blocking blocking() {
        return new Blocking(pool);
    }

    /** A new API key's owner id. */
    UUID owner() {
        return new ApiKeyStore(db).upsert("k-" + UUID.randomUUID(), ApiKeyStore.newSecret());
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        db.close();
        pg.close();
    }
}
