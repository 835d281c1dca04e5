package dev.unmask.standalone;

import java.util.concurrent.CountDownLatch;

/** {@code ./unmask standalone}: the whole system in this process until SIGTERM or Ctrl-C. */
public final class StandaloneMain {
    private StandaloneMain() {}

    public static void main(String[] args) throws Exception {
        StandaloneOptions options;
        try {
            options = StandaloneOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("unmask standalone: " + e.getMessage());
            System.exit(2);
            return;
        }
        Standalone standalone = Standalone.start(options, System.getenv());
        System.out.println("unmask: ready at http://localhost:" + standalone.port() + "  (API key: "
                + standalone.apiKey() + "; open that address in a browser for the web UI)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            standalone.close();
            stopped.countDown();
        }, "unmask-standalone-shutdown"));
        stopped.await();
    }
}
