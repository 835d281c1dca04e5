package dev.unmask.embedded;

/** Prints how long something took, so startup times show in the test output. */
final class Timings {

    private Timings() {
    }

    /** Prints {@code what} and the milliseconds since {@code startNanos}. */
    static void print(String what, long startNanos) {
        System.out.printf("[timing] %-50s %6d ms%n", what, (System.nanoTime() - startNanos) / 1_000_000);
    }
}
