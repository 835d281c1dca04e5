package dev.unmask.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.ValidationException;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.NewJob;
import dev.unmask.shared.store.StoreException;
import dev.unmask.shared.store.Submitted;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group commit against a real PostgreSQL: submits that wait together are committed by one
 * statement (one {@code now()}: one shared {@code created_at}); each is answered with its own
 * committed job; a job that fails its statement is refused alone; a refused check fails only its
 * own request.
 */
class SubmitBatcherTest {
    static JdbcPoolEnv env;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        env = new JdbcPoolEnv("batcher");
        db = env.db;
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
    }

    private static NewJob job(UUID owner) {
        return new NewJob(owner, JobType.TRAIN, JsonCodec.MAPPER.createObjectNode().put("type", "train"), 3, null, null, 1);
    }

    @Test
    void submitsThatWaitTogetherCommitInOneStatementAndEachGetsItsOwnJob() throws Exception {
        UUID owner = env.owner();
        JobStore jobs = new JobStore(db);
        // one batch at a time: while the first runs, the other 63 wait and go together
        SubmitBatcher batcher = new SubmitBatcher(jobs, env.blocking(), 64, 1);
        List<Future<Submitted>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            futures.add(batcher.submit(() -> job(owner)));
        }
        List<UUID> ids = new ArrayList<>();
        for (Future<Submitted> f : futures) {
            Submitted s = f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertTrue(s.created());
            assertTrue(jobs.find(s.job().id()).isPresent(), "answered after its row committed");
            ids.add(s.job().id());
        }
        assertEquals(64, ids.stream().distinct().count());
        long statements = distinctCreatedAt(owner);
        assertTrue(statements <= 8, "64 submits in " + statements + " statements");
    }

    @Test
    void aJobThatFailsItsStatementIsRefusedAloneAndAFailedCheckOnlyItsRequest() throws Exception {
        UUID owner = env.owner();
        UUID noSuchKey = UUID.randomUUID(); // violates jobs.owner's foreign key: the whole statement fails
        SubmitBatcher batcher = new SubmitBatcher(new JobStore(db), env.blocking(), 64, 1);
        List<Future<Submitted>> good = new ArrayList<>();
        Future<Submitted> bad = null;
        Future<Submitted> refused = null;
        for (int i = 0; i < 12; i++) {
            good.add(batcher.submit(() -> job(owner)));
            if (i == 5) {
                bad = batcher.submit(() -> job(noSuchKey));
                refused = batcher.submit(() -> {
                    throw ValidationException.of("dataset", "unknown_dataset", "no dataset");
                });
            }
        }
        for (Future<Submitted> f : good) {
            assertTrue(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).created());
        }
        Throwable badCause = await(bad);
        assertInstanceOf(StoreException.class, badCause);
        assertInstanceOf(ValidationException.class, await(refused));
        assertEquals(12, countJobs(owner));
    }

    private static Throwable await(Future<Submitted> f) throws Exception {
        try {
            f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a refusal");
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
    }

    private static long distinctCreatedAt(UUID owner) {
        return count("SELECT count(DISTINCT created_at) FROM jobs WHERE owner = ?", owner);
    }

    private static long countJobs(UUID owner) {
        return count("SELECT count(*) FROM jobs WHERE owner = ?", owner);
    }

    private static long count(String sql, UUID owner) {
        return db.statement("count", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
