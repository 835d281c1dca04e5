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
    /** A clock tick of {@code /proc}'s CPU times: USER_HZ is 100 on Linux. */
    private static final long TICK_NANOS = 10_000_000L;

    private final Path postmasterPid;

    /** @param postgresData the PostgreSQL data directory (its {@code postmaster.pid} names the server) */
    CpuMeter(Path postgresData) {
        this.postmasterPid = postgresData.resolve("postmaster.pid");
    }

    record Snapshot(long nanos, long jvmCpuNanos, Map<String, Long> threadNanos, Map<String, Long> postgresTicks, long[] machine,
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
            double tick = TICK_NANOS / 1e6; // ms
            double pg = 0;
            StringBuilder pgRoles = new StringBuilder();
            for (Map.Entry<String, Long> e : now.postgresTicks.entrySet()) {
                double ms = (e.getValue() - postgresTicks.getOrDefault(e.getKey(), 0L)) * tick;
                pg += ms;
                if (ms > 0) {
                    pgRoles.append(String.format(Locale.ROOT, "%s%s=%.2f", pgRoles.isEmpty() ? "" : " ", e.getKey(),
                            ms / requests));
                }
            }
            String machineShare = "";
            if (machine.length == 2 && now.machine.length == 2 && now.machine[1] > machine[1]) {
                double busy = (double) (now.machine[0] - machine[0]) / (now.machine[1] - machine[1]);
                machineShare = String.format(Locale.ROOT, "; machine busy %.0f%% of %d cores", busy * 100,
                        Runtime.getRuntime().availableProcessors());
            }
            return String.format(Locale.ROOT, "  cpu ms/request: jvm %.2f (%s vm-other=%.2f) postgres %.2f (%s)%s; "
                    + "jvm %.2f cores, postgres %.2f cores over %.1f s; per request: allocated %.0f KB, jit %.2f ms, "
                    + "gc pauses %.2f ms", jvm / requests, groups.toString().trim(), (jvm - named / 1e6) / requests,
                    pg / requests, pgRoles, machineShare, jvm / 1000 / wall, pg / 1000 / wall, wall,
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
        hiddenThreads(byGroup);
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

    /**
     * The JVM's own threads, which {@link ThreadMXBean} does not list (the JIT's compiler threads)
     * or lists without CPU (GC workers), from {@code /proc/self/task/TID/stat}: their names are
     * "C1 CompilerThre", "C2 CompilerThre", "GC Thread#0", "G1 Conc#0", "G1 Refine#0", ...
     */
    private static void hiddenThreads(Map<String, Long> byGroup) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                ProcStat stat = ProcStat.read(task);
                if (stat == null) {
                    continue; // the thread ended
                }
                String group = stat.name().contains("CompilerThre") ? "jit"
                        : stat.name().startsWith("GC Thread") || stat.name().startsWith("G1 ") ? "gc" : null;
                if (group != null) {
                    byGroup.merge(group, stat.cpuTicks() * TICK_NANOS, Long::sum);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: these threads stay in "vm-other"
        }
    }

    private static String group(String thread) {
        for (String[] g : GROUPS) {
            if (thread.startsWith(g[0])) {
                return g[1];
            }
        }
        return "other-threads";
    }

    /**
     * utime + stime of the postmaster and its children, clock ticks, by role (connection backends,
     * autovacuum, WAL writer, checkpointer, ...: the process titles PostgreSQL sets); empty when unknown.
     */
    private Map<String, Long> postgresTicks() {
        Map<String, Long> byRole = new TreeMap<>();
        try {
            long pid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!DIGITS.matcher(name).matches()) {
                        continue;
                    }
                    ProcStat stat = ProcStat.read(p);
                    if (stat == null) {
                        continue; // the process ended
                    }
                    if (Long.parseLong(name) == pid) {
                        byRole.merge("postmaster", stat.cpuTicks(), Long::sum);
                        byRole.merge("ended", stat.endedChildrenTicks(), Long::sum); // autovacuum workers that exited
                    } else if (stat.parent() == pid) {
                        byRole.merge(role(p), stat.cpuTicks(), Long::sum);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or the server is gone: nothing measured
        }
        return byRole;
    }

    /** A PostgreSQL child's role from its process title ("postgres: autovacuum worker", "postgres: user db host(port) idle"). */
    private static String role(Path proc) {
        String title;
        try {
            title = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "other";
        }
        for (String[] r : new String[][] {{"autovacuum", "autovacuum"}, {"walwriter", "wal-writer"},
                {"checkpointer", "checkpointer"}, {"background writer", "bgwriter"}, {"(", "backends"}}) {
            if (title.contains(r[0])) {
                return r[1];
            }
        }
        return "other";
    }

    /**
     * A process's or thread's {@code /proc/.../stat}: its name (the text in parentheses) and the
     * fields after it: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime.
     */
    private record ProcStat(String name, String[] fields) {
        /** Null when it ended or there is no {@code /proc}. */
        static ProcStat read(Path proc) {
            try {
                String s = Files.readString(proc.resolve("stat"));
                int close = s.lastIndexOf(')');
                return new ProcStat(s.substring(s.indexOf('(') + 1, close), s.substring(close + 2).split(" "));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        long parent() {
            return Long.parseLong(fields[1]);
        }

        /** utime + stime, clock ticks. */
        long cpuTicks() {
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        /** cutime + cstime: the children it has waited for, clock ticks. */
        long endedChildrenTicks() {
            return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
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
