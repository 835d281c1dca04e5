package dev.unmask.standalone.bench;

import dev.unmask.shared.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where submit-to-start goes, from the jobs' own rows: {@code created_at} (the submit's statement)
 * to {@code published_at} (the start of the relay pass that published the job's record), and from
 * there to {@code started_at} (the worker's claim: Kafka produce, share fetch, claim). All three
 * times come from the database's clock.
 */
final class StartSteps {
    private StartSteps() {}

    static void print(Database db, List<UUID> jobs) {
        List<double[]> rows = db.statement("read start steps", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT extract(epoch FROM published_at - created_at) * 1000, "
                    + "extract(epoch FROM started_at - published_at) * 1000 FROM jobs WHERE id = ANY (?) "
                    + "AND published_at IS NOT NULL AND started_at IS NOT NULL")) {
                ps.setArray(1, c.createArrayOf("uuid", jobs.toArray()));
                List<double[]> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new double[] {rs.getDouble(1), rs.getDouble(2)});
                    }
                }
                return out;
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        System.out.println("  submit to relay pass: " + Percentiles.of(rows.stream().mapToDouble(r -> r[0]).toArray()));
        System.out.println("  relay pass to claim:  " + Percentiles.of(rows.stream().mapToDouble(r -> r[1]).toArray()));
    }
}
