package dev.unmask.standalone;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code ./unmask standalone --port PORT --data-dir DIR --workers N}; the environment
 * ({@code UNMASK_PORT}, {@code UNMASK_DATA_DIR}, {@code UNMASK_WORKERS}) gives the defaults.
 */
public record StandaloneOptions(int port, Path dataDir, int workers) {
    public StandaloneOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        if (workers < 0 || workers > 64) {
            throw new IllegalArgumentException("--workers must be in [0, 64], got " + workers);
        }
    }

    public static StandaloneOptions parse(String[] args, Map<String, String> env) {
        int port = intOf("UNMASK_PORT", env.getOrDefault("UNMASK_PORT", "8080"));
        Path dataDir = Path.of(env.getOrDefault("UNMASK_DATA_DIR", ".unmask/standalone"));
        int workers = intOf("UNMASK_WORKERS", env.getOrDefault("UNMASK_WORKERS", "1"));
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = intOf("--port", require(args[i], value));
                case "--data-dir" -> dataDir = Path.of(require(args[i], value));
                case "--workers" -> workers = intOf("--workers", require(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --port PORT, --data-dir DIR, --workers N)");
            }
            i++;
        }
        return new StandaloneOptions(port, dataDir.toAbsolutePath().normalize(), workers);
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int intOf(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + value + "'");
        }
    }
}
