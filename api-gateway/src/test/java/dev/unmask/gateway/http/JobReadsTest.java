package dev.unmask.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.Database;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.StoreException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coalesced job reads against a real PostgreSQL: reads that wait together are answered by one
 * statement, each with its own job; another owner's job and a missing one are absent; a read sees
 * a write acknowledged before it was sent; a database that fails fails every read of the batch.
 */
class JobReadsTest {
    static JdbcPoolEnv env;
    static Database db;

    @BeforeAll
    static void start() throws Exception {
        env = new JdbcPoolEnv("reads");
        db = env.db;
    }

    @AfterAll
    static void stop() throws Exception {
        env.close();
    }

    private static UUID submit(JobStore jobs, UUID owner) {
        return jobs.submit(owner, JobType.TRAIN, JsonCodec.MAPPER.createObjectNode().put("type", "train"), 3, null, null, 1)
                .job().id();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void readsThatWaitTogetherShareOneStatementAndEachGetsItsOwnJob() throws Exception {
        JobStore jobs = new JobStore(db);
        UUID owner = env.owner();
        UUID stranger = env.owner();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(submit(jobs, owner));
        }
        // one statement at a time: while the first runs, the others wait and go together
        JobReads reads = new JobReads(jobs, env.blocking(), 64, 1);
        List<Future<Optional<Job>>> mine = new ArrayList<>();
        List<Future<Optional<Job>>> theirs = new ArrayList<>();
        for (UUID id : ids) {
            mine.add(reads.find(id, owner));
            theirs.add(reads.find(id, stranger));
        }
        Future<Optional<Job>> missing = reads.find(UUID.randomUUID(), owner);
        for (int i = 0; i < ids.size(); i++) {
            Optional<Job> job = await(mine.get(i));
            assertTrue(job.isPresent());
            assertEquals(ids.get(i), job.get().id());
            assertEquals(owner, job.get().owner());
            assertTrue(await(theirs.get(i)).isEmpty(), "another owner's job is absent");
        }
        assertTrue(await(missing).isEmpty());
        assertTrue(reads.statements() <= 4, "81 reads in " + reads.statements() + " statements");
    }

    @Test
    void aReadSeesAWriteAcknowledgedBeforeIt() throws Exception {
        JobStore jobs = new JobStore(db);
        UUID owner = env.owner();
        JobReads reads = new JobReads(jobs, env.blocking(), 64, 2);
        for (int i = 0; i < 20; i++) {
            UUID id = submit(jobs, owner);
            assertEquals(id, await(reads.find(id, owner)).orElseThrow().id());
        }
    }

    @Test
    void aFailedStatementFailsEveryReadOfItsBatch() throws Exception {
        Database closed = Database.open(env.pg.jdbcUrl(), env.pg.username(), env.pg.password(), 2, "reads-closed");
        closed.close();
        JobReads reads = new JobReads(new JobStore(closed), env.blocking(), 64, 1);
        List<Future<Optional<Job>>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(reads.find(UUID.randomUUID(), UUID.randomUUID()));
        }
        for (Future<Optional<Job>> f : futures) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(f));
            assertInstanceOf(StoreException.class, e.getCause());
        }
    }
}
