package dev.unmask.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.embedded.EmbeddedKafka;
import dev.unmask.embedded.EmbeddedPostgres;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.job.Topics;
import dev.unmask.shared.store.Database;
import dev.unmask.standalone.client.ApiClient;
import dev.unmask.standalone.drill.Drill;
import dev.unmask.standalone.drill.ServiceProcess;
import java.net.ServerSocket;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ShareGroupDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on this machine: Kafka and PostgreSQL started once, a gateway process and three
 * worker processes (separate JVMs). Many generate jobs each succeed exactly once and every worker
 * runs some; a worker killed with SIGKILL mid-training has its job finished by another.
 */
class ScaleOutTest {
    static final String KEY = "scale-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void threeWorkerProcessesShareTheJobsAndSurviveASigkill() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.start(null, 0);
                EmbeddedKafka kafka = EmbeddedKafka.start(null, 0)) {
            kafka.createTopics(Topics.PARTITIONS);
            Map<String, String> env = new HashMap<>();
            env.put("UNMASK_DB_URL", postgres.jdbcUrl());
            env.put("UNMASK_DB_USER", postgres.username());
            env.put("UNMASK_DB_PASSWORD", postgres.password());
            env.put("UNMASK_DB_POOL_SIZE", "4");
            env.put("UNMASK_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            env.put("UNMASK_ARTIFACTS_DIR", Files.createDirectories(dir.resolve("artifacts")).toString());
            env.put("UNMASK_API_KEYS", "scale:" + KEY);
            env.put("UNMASK_PORT", Integer.toString(port));
            env.put("UNMASK_LEASE_SECONDS", "3");
            env.put("UNMASK_RETRY_BACKOFF_MS", "100");
            env.put("UNMASK_DEVICE", "cpu");
            String djlCache = System.getenv("DJL_CACHE_DIR");
            if (djlCache != null) {
                env.put("DJL_CACHE_DIR", djlCache);
            }
            List<ServiceProcess> processes = new ArrayList<>();
            try (Database db = Database.open(postgres.jdbcUrl(), postgres.username(), postgres.password(), 2, "test")) {
                processes.add(ServiceProcess.start("gateway", "dev.unmask.gateway.GatewayMain", env, dir));
                for (int i = 1; i <= 3; i++) {
                    Map<String, String> workerEnv = new HashMap<>(env);
                    workerEnv.put("UNMASK_WORKER_ID", "w" + i);
                    workerEnv.put("UNMASK_METRICS_PORT", "0"); // three workers on one host: no shared port
                    processes.add(ServiceProcess.start("w" + i, "dev.unmask.worker.WorkerMain", workerEnv, dir));
                }
                ApiClient api = new ApiClient("http://127.0.0.1:" + port, KEY);
                await().atMost(Duration.ofSeconds(120)).ignoreExceptions()
                        .until(() -> api.get("/health/ready").status() == 200);
                awaitGroupMembers(kafka.bootstrapServers(), JobType.GENERATE.shareGroup(), 3);
                awaitGroupMembers(kafka.bootstrapServers(), JobType.TRAIN.shareGroup(), 3);

                String dataset = api.post("/v1/datasets?name=toy", "text/plain", Drill.corpus())
                        .body().path("id").asText();
                JsonNode trained = awaitTerminal(api, submit(api, "{\"type\":\"train\",\"model\":\"preset:tiny\","
                        + "\"dataset\":\"" + dataset + "\",\"hyperparameters\":{\"steps\":8,\"batch_size\":4,"
                        + "\"seq_len\":32,\"vocab_size\":300,\"checkpoint_every\":0,\"eval_samples\":0}}"), 180);
                assertEquals("succeeded", trained.path("status").asText(), trained.toString());
                String model = trained.path("result").path("model").asText();

                List<String> jobs = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    jobs.add(submit(api, "{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"the cat\","
                            + "\"max_tokens\":8,\"steps\":2,\"seed\":" + i + "}"));
                }
                Set<String> workers = new HashSet<>();
                for (String id : jobs) {
                    JsonNode job = awaitTerminal(api, id, 180);
                    assertEquals("succeeded", job.path("status").asText(), job.toString());
                    assertEquals(1, job.path("attempts").asInt(), job.toString());
                    assertEquals(1, countEvents(db, id, "running"), "job " + id + " started more than once");
                    workers.add(workerOf(db, id));
                }
                assertEquals(Set.of("w1", "w2", "w3"), workers);

                String long_ = submit(api, "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset
                        + "\",\"hyperparameters\":{\"steps\":60,\"batch_size\":4,\"seq_len\":32,\"vocab_size\":300,"
                        + "\"checkpoint_every\":10,\"eval_samples\":0}}");
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(100))
                        .until(() -> api.get("/v1/jobs/" + long_ + "/checkpoints").body().path("checkpoints").size() > 0);
                String victim = workerOf(db, long_);
                ServiceProcess killed = processes.stream().filter(p -> p.name().equals(victim)).findFirst().orElseThrow();
                long killedAt = System.currentTimeMillis();
                killed.kill();
                // share groups: the other workers go on taking jobs at once, nobody waits for the dead one
                List<String> during = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    during.add(submit(api, "{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"a dog\","
                            + "\"max_tokens\":8,\"steps\":2,\"seed\":" + (100 + i) + "}"));
                }
                for (String id : during) {
                    JsonNode job = awaitTerminal(api, id, 60);
                    assertEquals("succeeded", job.path("status").asText(), job.toString());
                    long wait = Duration.between(Instant.parse(job.path("created_at").asText()),
                            Instant.parse(job.path("started_at").asText())).toMillis();
                    assertTrue(wait < 5_000, "a generate job submitted after the kill waited " + wait + " ms to start");
                }
                JsonNode rescued = awaitTerminal(api, long_, 240);
                long restartedAfter = lastStart(db, long_).toEpochMilli() - killedAt;
                assertTrue(restartedAfter < 3_000 + 5_000, "the killed worker's job started again " + restartedAfter
                        + " ms after the kill (lease 3 s)");
                assertEquals("succeeded", rescued.path("status").asText(), rescued.toString());
                assertEquals(2, rescued.path("attempts").asInt());
                assertNotEquals(victim, workerOf(db, long_));
                assertTrue(rescued.path("result").path("resumed_from_step").asInt() >= 10, rescued.toString());
            } finally {
                for (ServiceProcess p : processes) {
                    p.close();
                }
            }
        }
    }

    private static String submit(ApiClient api, String body) throws Exception {
        ApiClient.Reply r = api.post("/v1/jobs", "application/json", body);
        assertEquals(202, r.status(), String.valueOf(r.body()));
        return r.body().path("id").asText();
    }

    private static JsonNode awaitTerminal(ApiClient api, String id, int seconds) {
        await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100)).until(() -> {
            String status = api.get("/v1/jobs/" + id).body().path("status").asText();
            return status.equals("succeeded") || status.equals("failed") || status.equals("cancelled");
        });
        try {
            return api.get("/v1/jobs/" + id).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitGroupMembers(String bootstrap, String group, int members) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                ShareGroupDescription d = admin.describeShareGroups(List.of(group)).all().get().get(group);
                return d.members().size() == members;
            });
        }
    }

    private static String workerOf(Database db, String jobId) {
        return db.tx("worker of job", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT worker_id FROM jobs WHERE id = ?")) {
                ps.setObject(1, UUID.fromString(jobId));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** When the job last went to running (its newest attempt's start). */
    private static Instant lastStart(Database db, String jobId) {
        return db.tx("last start", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT max(created_at) FROM job_events WHERE job_id = ? "
                    + "AND kind = 'status' AND data->>'status' = 'running'")) {
                ps.setObject(1, UUID.fromString(jobId));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getTimestamp(1).toInstant();
                }
            }
        });
    }

    private static long countEvents(Database db, String jobId, String status) {
        return db.tx("count status events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM job_events WHERE job_id = ? "
                    + "AND kind = 'status' AND data->>'status' = ?")) {
                ps.setObject(1, UUID.fromString(jobId));
                ps.setString(2, status);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }
}
