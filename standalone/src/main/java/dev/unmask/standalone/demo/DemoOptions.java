package dev.unmask.standalone.demo;

import java.nio.file.Path;

/**
 * {@code ./unmask demo} options.
 *
 * @param exit stop the server when the demo is done (default: keep serving until Ctrl-C when a
 *     terminal is attached, so the printed curl commands can be tried)
 */
record DemoOptions(Path corpus, boolean retrain, int steps, int port, Path dataDir, boolean exit) {
    static DemoOptions parse(String[] args, java.util.Map<String, String> env) {
        Path corpus = null;
        boolean retrain = false;
        int steps = 1800;
        int port = Integer.parseInt(env.getOrDefault("UNMASK_PORT", "8080"));
        Path dataDir = Path.of(env.getOrDefault("UNMASK_DATA_DIR", ".unmask")).resolve("standalone");
        boolean exit = System.console() == null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--corpus" -> corpus = Path.of(value(args, ++i, "--corpus"));
                case "--retrain" -> retrain = true;
                case "--steps" -> steps = Integer.parseInt(value(args, ++i, "--steps"));
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--exit" -> exit = true;
                case "--serve" -> exit = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (options: --corpus FILE, "
                        + "--retrain, --steps N, --port P, --data-dir DIR, --exit, --serve)");
            }
        }
        if (corpus == null) {
            throw new IllegalArgumentException("--corpus FILE is required (./unmask demo fetches the Brown corpus)");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be positive");
        }
        return new DemoOptions(corpus, retrain, steps, port, dataDir.toAbsolutePath().normalize(), exit);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
