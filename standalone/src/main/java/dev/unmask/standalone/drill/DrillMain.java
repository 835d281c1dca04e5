package dev.unmask.standalone.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code ./unmask drill [--jobs N] [--minutes M] [--dir D]}: the fault drill ({@link Drill}) as a
 * command; prints one JSON line (jobs accepted, terminal by status, lost, duplicated, faults by
 * kind, the longest gap between claims while jobs were queued, the longest time from a fault to the
 * next claim) and exits 1 when a job was lost or ran twice.
 */
public final class DrillMain {
    private static final String USAGE = """
            Usage: ./unmask drill [--jobs N] [--minutes M] [--dir D]
            Starts PostgreSQL and a Kafka broker as processes of their own, one gateway and three workers,
            submits N generate jobs (and N/100 + 3 train jobs) over M minutes while it SIGKILLs workers,
            the broker and PostgreSQL (each started again), then prints one JSON line of what held.
              --jobs N      generate jobs (default 300)
              --minutes M   how long jobs are submitted and faults injected (default 3)
              --dir D       where data, logs and artifacts go (default: a new temporary folder, kept)
              -h, --help    this text
            """;

    private DrillMain() {}

    public static void main(String[] args) throws Exception {
        int jobs = 300;
        double minutes = 3;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    return;
                }
                case "--jobs" -> jobs = Integer.parseInt(value(args, ++i));
                case "--minutes" -> minutes = Double.parseDouble(value(args, ++i));
                case "--dir" -> dir = Path.of(value(args, ++i));
                default -> {
                    System.err.print("drill: unknown option " + args[i] + "\n" + USAGE);
                    System.exit(2);
                }
            }
        }
        if (jobs < 1 || !(minutes > 0)) {
            System.err.print("drill: --jobs and --minutes must be positive\n" + USAGE);
            System.exit(2);
        }
        Path folder = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("unmask-drill-");
        System.err.println("drill: data and logs in " + folder);
        DrillReport report = Drill.run(new Drill.Options(jobs, jobs / 100 + 3,
                Duration.ofMillis((long) (minutes * 60_000)), folder));
        System.out.println(report.toJson());
        System.exit(report.lost() == 0 && report.duplicated() == 0 && report.overlapping() == 0 ? 0 : 1);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            System.err.print("drill: " + args[i - 1] + " needs a value\n" + USAGE);
            System.exit(2);
        }
        return args[i];
    }
}
