package dev.unmask.standalone.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a drill left in PostgreSQL, read after it: every accepted job's end, its status events
 * (claims, re-queues, ends) and checkpoints, judged against the faults injected.
 */
final class DrillAnalysis implements AutoCloseable {
    /** Broker and database outages: claims are not expected while the dependency is down and shortly after. */
    private static final Duration RECOVERY_GRACE = Duration.ofSeconds(15);

    /** A fault: what, when, when the killed dependency accepted connections again, the jobs a killed worker ran. */
    record Fault(String kind, Instant at, Instant recovered, List<UUID> jobsRunning) {}

    private record Event(UUID job, String status, Instant at) {}

    private final Database db;

    private DrillAnalysis(Database db) {
        this.db = db;
    }

    static DrillAnalysis open(String url, String user, String password) {
        return new DrillAnalysis(Database.open(url, user, password, 2, "drill"));
    }

    /** The jobs worker {@code workerId} runs now. */
    List<UUID> runningOn(String workerId) {
        return db.tx("running on", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM jobs WHERE status = 'running' AND worker_id = ?")) {
                ps.setString(1, workerId);
                List<UUID> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(uuid(rs, "id"));
                    }
                }
                return out;
            }
        });
    }

    DrillReport report(List<String> acceptedIds, List<Fault> faults, Instant start, Instant end, int http500,
            int httpOther5xx, Duration lease) {
        List<UUID> accepted = acceptedIds.stream().map(UUID::fromString).toList();
        Map<UUID, JsonNode> jobs = jobs(accepted);
        Map<UUID, List<Event>> events = events(accepted);
        Map<String, Integer> terminal = new TreeMap<>();
        int lost = 0;
        int duplicated = 0;
        int overlapping = 0;
        int notResumed = 0;
        List<Instant> claims = new ArrayList<>();
        List<Instant[]> waits = new ArrayList<>();
        List<Instant[]> generateWaits = new ArrayList<>();
        for (UUID id : accepted) {
            JsonNode job = jobs.get(id);
            String status = job == null ? "missing" : job.path("status").asText();
            if (status.equals("succeeded") || status.equals("failed") || status.equals("cancelled")) {
                terminal.merge(status, 1, Integer::sum);
            } else {
                lost++;
            }
            List<Event> list = events.getOrDefault(id, List.of());
            if (list.stream().filter(e -> e.status().equals("succeeded")).count() > 1) {
                duplicated++;
            }
            Instant waitingSince = job == null ? start : Instant.parse(job.path("created_at").asText());
            String previous = "queued";
            for (Event e : list) {
                if (e.status().equals("running")) {
                    if (previous.equals("running")) {
                        overlapping++;
                    }
                    claims.add(e.at());
                    if (waitingSince != null) {
                        waits.add(new Instant[] {waitingSince, e.at()});
                        if (job != null && job.path("type").asText().equals("generate")) {
                            generateWaits.add(new Instant[] {waitingSince, e.at()});
                        }
                    }
                    waitingSince = null;
                } else if (e.status().equals("queued")) {
                    waitingSince = e.at();
                }
                previous = e.status();
            }
            if (job != null && job.path("type").asText().equals("train") && job.path("attempts").asInt() > 1
                    && status.equals("succeeded") && !resumedFromNewest(id, job, list)) {
                notResumed++;
            }
        }
        claims.sort(null);
        long longestGap = longestGap(claims, waits, faults);
        long longestGenerateWait = generateWaits.stream().filter(w -> !duringOutage(w[0], w[1], faults))
                .mapToLong(w -> Duration.between(w[0], w[1]).toMillis()).max().orElse(0);
        Map<String, Long> faultToClaim = new TreeMap<>();
        Map<String, Integer> faultCounts = new TreeMap<>();
        long longestRestart = 0;
        for (Fault f : faults) {
            faultCounts.merge(f.kind(), 1, Integer::sum);
            Instant from = f.recovered();
            claims.stream().filter(c -> !c.isBefore(from)).findFirst().ifPresent(next ->
                    faultToClaim.merge(f.kind(), Duration.between(from, next).toMillis(), Math::max));
            for (UUID id : f.jobsRunning()) {
                Instant restart = events.getOrDefault(id, List.of()).stream()
                        .filter(e -> e.status().equals("running") && e.at().isAfter(f.at())).map(Event::at)
                        .findFirst().orElse(null);
                if (restart != null) {
                    longestRestart = Math.max(longestRestart, Duration.between(f.at(), restart).toMillis());
                }
            }
        }
        return new DrillReport(accepted.size(), terminal, lost, duplicated, overlapping, notResumed, http500, httpOther5xx,
                faultCounts, longestGap, longestGenerateWait, faultToClaim, longestRestart,
                Duration.between(start, end).toSeconds());
    }

    /** The longest claim-to-claim time while a job waited throughout, outside outages and their recovery. */
    private static long longestGap(List<Instant> claims, List<Instant[]> waits, List<Fault> faults) {
        long longest = 0;
        for (int i = 0; i + 1 < claims.size(); i++) {
            Instant a = claims.get(i);
            Instant b = claims.get(i + 1);
            boolean waited = waits.stream().anyMatch(w -> !w[0].isAfter(a) && !w[1].isBefore(b));
            if (waited && !duringOutage(a, b, faults)) {
                longest = Math.max(longest, Duration.between(a, b).toMillis());
            }
        }
        return longest;
    }

    /** Whether [a, b] overlaps a broker or PostgreSQL outage (from the kill to its return plus the grace). */
    private static boolean duringOutage(Instant a, Instant b, List<Fault> faults) {
        return faults.stream().filter(f -> !f.kind().equals("worker_kill"))
                .anyMatch(f -> a.isBefore(f.recovered().plus(RECOVERY_GRACE)) && b.isAfter(f.at()));
    }

    /** A resumed training started from the newest checkpoint saved before its last attempt began. */
    private boolean resumedFromNewest(UUID id, JsonNode job, List<Event> events) {
        Instant lastStart = events.stream().filter(e -> e.status().equals("running")).map(Event::at)
                .reduce((a, b) -> b).orElse(null);
        if (lastStart == null) {
            return false;
        }
        long newest = db.tx("newest checkpoint", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT coalesce(max(step), 0) FROM checkpoints WHERE job_id = ? AND created_at < ?")) {
                ps.setObject(1, id);
                ps.setObject(2, java.sql.Timestamp.from(lastStart));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return job.path("result").path("resumed_from_step").asLong() >= newest;
    }

    private Map<UUID, JsonNode> jobs(List<UUID> ids) {
        return db.tx("drill jobs", c -> {
            Map<UUID, JsonNode> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, type, status, attempts, result, created_at "
                    + "FROM jobs WHERE id = ANY (?)")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode job = JsonCodec.MAPPER.createObjectNode();
                        job.put("type", rs.getString("type"));
                        job.put("status", rs.getString("status"));
                        job.put("attempts", rs.getInt("attempts"));
                        job.set("result", json(rs, "result"));
                        job.put("created_at", instant(rs, "created_at").toString());
                        out.put(uuid(rs, "id"), job);
                    }
                }
            }
            return out;
        });
    }

    private Map<UUID, List<Event>> events(List<UUID> ids) {
        return db.tx("drill events", c -> {
            Map<UUID, List<Event>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, data->>'status' AS status, created_at "
                    + "FROM job_events WHERE job_id = ANY (?) AND kind = 'status' ORDER BY id")) {
                ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        UUID job = uuid(rs, "job_id");
                        out.computeIfAbsent(job, k -> new ArrayList<>())
                                .add(new Event(job, rs.getString("status"), instant(rs, "created_at")));
                    }
                }
            }
            return out;
        });
    }

    private static UUID uuid(ResultSet rs, String column) throws java.sql.SQLException {
        return rs.getObject(column, UUID.class);
    }

    private static Instant instant(ResultSet rs, String column) throws java.sql.SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static JsonNode json(ResultSet rs, String column) throws java.sql.SQLException {
        String text = rs.getString(column);
        return text == null ? JsonCodec.MAPPER.nullNode() : JsonCodec.read(text);
    }

    @Override
    public void close() {
        db.close();
    }
}
