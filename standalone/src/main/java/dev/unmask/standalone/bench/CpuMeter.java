package dev.unmask.standalone.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the CPU of a measured phase went: this JVM by thread group (the load's own client threads
 * apart), the PostgreSQL server (its postmaster and every backend, read from {@code /proc}) and the
 * whole machine (busy share of {@code /proc/stat}). On a system without {@code /proc} only the JVM
 * is measured. A snapshot is taken at {@link #start()}; {@link Snapshot#report(int)} gives the
 * difference, per request.
 */
final class CpuMeter {
    /** Thread name prefixes and the group each counts in; the first match wins. */
    private static final String[][] GROUPS = {
        {"vert.x-eventloop", "event-loop"}, {"unmask-jdbc", "jdbc-pool"}, {"HttpClient", "load-client"},
        {"bench-client", "load-client"}, {"unmask-outbox-relay", "relay"}, {"kafka-producer", "relay"},
        {"unmask-event-fanout", "fanout"}, {"consumer_background", "fanout"}, {"data-plane-kafka", "kafka-broker"},
        {"kafka", "kafka-broker"}, {"broker", "kafka-broker"}, {"quorum", "kafka-broker"}, {"raft", "kafka-broker"},
    };
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private final Path postmasterPid;

    /** @param postgresData the PostgreSQL data directory (its {@code postmaster.pid} names the server) */
    CpuMeter(Path postgresData) {
        this.postmasterPid = postgresData.resolve("postmaster.pid");
    }

    record Snapshot(long nanos, long jvmCpuNanos, Map<String, Long> threadNanos, long postgresTicks, long[] machine,
            long allocatedBytes, long jitMs, long gcMs, CpuMeter meter) {
        /** One line: CPU ms per request by JVM thread group, PostgreSQL, and the machine's busy share. */
        String report(int requests) {
            Snapshot now = meter.start();
            double wall = (now.nanos - nanos) / 1e9;
            double jvm = (now.jvmCpuNanos - jvmCpuNanos) / 1e6;
            StringBuilder groups = new StringBuilder();
            Map<String, Long> diff = new TreeMap<>();
            now.threadNanos.forEach((g, v) -> diff.merge(g, v - threadNanos.getOrDefault(g, 0L), Long::sum));
            long named = 0;
            for (Map.Entry<String, Long> e : diff.entrySet()) {
                named += e.getValue();
                groups.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), e.getValue() / 1e6 / requests));
            }
            double tick = 1000.0 / 100; // USER_HZ: 100 on Linux
            double pg = (now.postgresTicks - postgresTicks) * tick;
            String machineShare = "";
            if (machine.length == 2 && now.machine.length == 2 && now.machine[1] > machine[1]) {
                double busy = (double) (now.machine[0] - machine[0]) / (now.machine[1] - machine[1]);
                machineShare = String.format(Locale.ROOT, "; machine busy %.0f%% of %d cores", busy * 100,
                        Runtime.getRuntime().availableProcessors());
            }
            return String.format(Locale.ROOT, "  cpu ms/request: jvm %.2f (%s gc+jit+other=%.2f) postgres %.2f%s; "
                    + "jvm %.2f cores, postgres %.2f cores over %.1f s; per request: allocated %.0f KB, jit %.2f ms, "
                    + "gc pauses %.2f ms", jvm / requests, groups.toString().trim(), (jvm - named / 1e6) / requests,
                    pg / requests, machineShare, jvm / 1000 / wall, pg / 1000 / wall, wall,
                    (now.allocatedBytes - allocatedBytes) / 1024.0 / requests, (double) (now.jitMs - jitMs) / requests,
                    (double) (now.gcMs - gcMs) / requests);
        }
    }

    Snapshot start() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        long[] ids = threads.getAllThreadIds();
        for (ThreadInfo info : threads.getThreadInfo(ids)) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byGroup.merge(group(info.getThreadName()), cpu, Long::sum);
            }
        }
        long allocated = 0;
        for (long bytes : ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(ids)) {
            allocated += Math.max(0, bytes);
        }
        long gc = 0;
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            gc += Math.max(0, bean.getCollectionTime());
        }
        long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Snapshot(System.nanoTime(), jvm, byGroup, postgresTicks(), machineTicks(), allocated, jit, gc, this);
    }

    private static String group(String thread) {
        for (String[] g : GROUPS) {
            if (thread.startsWith(g[0])) {
                return g[1];
            }
        }
        return "other-threads";
    }

    /** utime + stime of the postmaster and its children, clock ticks; 0 when unknown. */
    private long postgresTicks() {
        try {
            long pid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());
            long total = 0;
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!DIGITS.matcher(name).matches()) {
                        continue;
                    }
                    String[] stat = stat(p);
                    if (stat != null && (Long.parseLong(name) == pid || Long.parseLong(stat[1]) == pid)) {
                        total += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                    }
                }
            }
            return total;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime. */
    private static String[] stat(Path proc) {
        try {
            String s = Files.readString(proc.resolve("stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null; // the process ended
        }
    }

    /** {busy, total} jiffies of all cores from /proc/stat; empty when unknown. */
    private static long[] machineTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }
}
